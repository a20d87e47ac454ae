package org.mend4j.demoapp.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  private static NDManager manager;

  @TempDir Path dir;

  @BeforeAll
  static void engine() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void readsF32F16AndBf16AsFloat32WithTheirShapes() throws IOException {
    // 1.0, -2.0, 0.5, 65504 in IEEE half; 1.0, -2.0, 0.15625, 3.0 in bfloat16.
    byte[] f16 = {0x00, 0x3C, 0x00, (byte) 0xC0, 0x00, 0x38, (byte) 0xFF, 0x7B};
    byte[] bf16 = {(byte) 0x80, 0x3F, 0x00, (byte) 0xC0, 0x20, 0x3E, 0x40, 0x40};
    Path file = dir.resolve("t.safetensors");
    new SafetensorsWriter()
        .f32("a", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)
        .raw("half", "F16", f16, 4)
        .raw("brain", "BF16", bf16, 2, 2)
        .write(file);
    try (SafetensorsFile st = SafetensorsFile.open(file);
        NDManager m = manager.newSubManager()) {
      assertThat(st.names()).containsExactlyInAnyOrder("a", "half", "brain");
      NDArray a = st.load("a", m);
      assertThat(a.getShape()).isEqualTo(new Shape(2, 3));
      assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(a.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(st.load("half", m).toFloatArray()).containsExactly(1f, -2f, 0.5f, 65504f);
      NDArray brain = st.load("brain", m);
      assertThat(brain.getShape()).isEqualTo(new Shape(2, 2));
      assertThat(brain.toFloatArray()).containsExactly(1f, -2f, 0.15625f, 3f);
    }
  }

  @Test
  void aTruncatedFileNamesTheTensor() throws IOException {
    Path file = dir.resolve("t.safetensors");
    new SafetensorsWriter().f32("w", new float[16], 4, 4).write(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("t.safetensors")
        .hasMessageContaining("'w' ends beyond the file");
  }

  @Test
  void aSizeThatDisagreesWithTheShapeIsRefused() throws IOException {
    Path file = dir.resolve("t.safetensors");
    new SafetensorsWriter().f32("w", new float[6], 4, 4).write(file);
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'w' has 24 bytes, its shape (4, 4) of F32 needs 64");
  }

  @Test
  void anUnsupportedDtypeIsRefusedOnLoad() throws IOException {
    Path file = dir.resolve("t.safetensors");
    new SafetensorsWriter().raw("ids", "I64", new byte[16], 2).write(file);
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertThatThrownBy(() -> st.load("ids", manager))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("'ids' has unsupported dtype I64");
    }
  }

  @Test
  void garbageIsNotASafetensorsFile() throws IOException {
    Path file = dir.resolve("t.safetensors");
    Files.writeString(file, "definitely not safetensors");
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("t.safetensors");
  }
}
