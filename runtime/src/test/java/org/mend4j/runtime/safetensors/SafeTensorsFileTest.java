package org.mend4j.runtime.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsFileTest {

  @TempDir Path dir;

  @Test
  void roundTripsTensorsAndMetadata() {
    Path file = dir.resolve("t.safetensors");
    SafeTensorsWriter writer =
        new SafeTensorsWriter()
            .add("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
            .add("b", new long[] {1}, new float[] {-7.5f})
            .metadata("kind", "test");
    String digest = writer.dataSha256();
    writer.write(file);

    SafeTensorsFile read = SafeTensorsFile.open(file);
    assertThat(read.tensors().keySet()).containsExactly("a", "b");
    assertThat(read.info("a").shape()).containsExactly(2, 3);
    assertThat(read.floats("a")).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(read.floats("b")).containsExactly(-7.5f);
    assertThat(read.metadata()).containsEntry("kind", "test");
    assertThat(read.dataSha256()).isEqualTo(digest);
  }

  @Test
  void widensHalfAndBfloat16ToFloat32() throws IOException {
    ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    data.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001);
    data.putShort((short) 0x3f80).putShort((short) 0xc040).putShort((short) 0x7f80);
    Path file =
        raw(
            "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[6,12]}}",
            data.array());
    SafeTensorsFile read = SafeTensorsFile.open(file);
    assertThat(read.floats("h")).containsExactly(1f, -2f, 0x1p-24f);
    assertThat(read.floats("b")).containsExactly(1f, -3f, Float.POSITIVE_INFINITY);
  }

  @Test
  void truncatedFileNamesFileAndTensor() throws IOException {
    Path file =
        raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
    assertThatThrownBy(() -> SafeTensorsFile.open(file))
        .isInstanceOf(SafeTensorsException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("tensor 'w'")
        .hasMessageContaining("truncated");
  }

  @Test
  void shapeNotMatchingByteRangeIsRefused() throws IOException {
    Path file =
        raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", new byte[16]);
    assertThatThrownBy(() -> SafeTensorsFile.open(file))
        .hasMessageContaining("tensor 'w'")
        .hasMessageContaining("does not hold F32[3]");
  }

  @Test
  void unknownDtypeIsRefused() throws IOException {
    Path file = raw("{\"w\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[0,4]}}", new byte[4]);
    assertThatThrownBy(() -> SafeTensorsFile.open(file))
        .hasMessageContaining("tensor 'w'")
        .hasMessageContaining("unsupported dtype 'I8'");
  }

  @Test
  void garbageIsRefusedWithoutCrashing() throws IOException {
    Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> SafeTensorsFile.open(tiny)).hasMessageContaining("has no header");
    byte[] bogus = new byte[64];
    Arrays.fill(bogus, (byte) 0x7f);
    Path huge = Files.write(dir.resolve("huge.safetensors"), bogus);
    assertThatThrownBy(() -> SafeTensorsFile.open(huge)).hasMessageContaining("header length");
    Path notJson = raw("not json at all", new byte[0]);
    assertThatThrownBy(() -> SafeTensorsFile.open(notJson))
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void missingTensorIsNamed() {
    Path file = dir.resolve("t.safetensors");
    new SafeTensorsWriter().add("a", new long[] {1}, new float[] {1}).write(file);
    assertThatThrownBy(() -> SafeTensorsFile.open(file).floats("nope"))
        .hasMessageContaining("tensor 'nope'")
        .hasMessageContaining("missing");
  }

  @Test
  void largeFilesAreMemoryMappedAndReadZeroCopy() throws IOException {
    int n = (int) (SafeTensorsFile.MMAP_THRESHOLD / 4) + 1024;
    ByteBuffer values = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i += 4096) {
      values.putFloat(i * 4, i);
    }
    Path file = dir.resolve("big.safetensors");
    new SafeTensorsWriter().add("w", new long[] {n}, values).write(file);
    SafeTensorsFile read = SafeTensorsFile.open(file);
    assertThat(read.isMapped()).isTrue();
    ByteBuffer view = read.float32("w");
    assertThat(view.isDirect()).isTrue();
    assertThat(view.getFloat(4 * 8192)).isEqualTo(8192f);
    assertThat(read.floats("w")[n - 1024]).isEqualTo(n - 1024);
    Path small = dir.resolve("small.safetensors");
    new SafeTensorsWriter().add("w", new long[] {1}, new float[] {1}).write(small);
    assertThat(SafeTensorsFile.open(small).isMapped()).isFalse();
  }

  private Path raw(String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(json.length).put(json).put(data);
    return Files.write(Files.createTempFile(dir, "raw", ".safetensors"), out.array());
  }

  @Test
  void halfAndBfloat16RoundTripEveryValueAndRoundToNearestEven() {
    for (int bits = 0; bits < 0x10000; bits++) {
      short h = (short) bits;
      float f = HalfFloat.toFloat(h);
      if (!Float.isNaN(f)) {
        assertThat(HalfFloat.fromFloat(f)).as("F16 0x%04x", bits).isEqualTo(h);
      }
      float b = HalfFloat.bf16ToFloat(h);
      if (!Float.isNaN(b)) {
        assertThat(HalfFloat.floatToBf16(b)).as("BF16 0x%04x", bits).isEqualTo(h);
      }
    }
    // 1 + 2^-11 lies halfway between the halves 1 and 1 + 2^-10: ties go to the even one, 1
    assertThat(HalfFloat.toFloat(HalfFloat.fromFloat(1 + 0x1p-11f))).isEqualTo(1f);
    assertThat(HalfFloat.toFloat(HalfFloat.fromFloat(1 + 0x1p-11f + 0x1p-20f)))
        .isEqualTo(1 + 0x1p-10f);
    assertThat(HalfFloat.toFloat(HalfFloat.fromFloat(1e6f))).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(HalfFloat.toFloat(HalfFloat.fromFloat(0x1p-25f + 0x1p-30f))).isEqualTo(0x1p-24f);
    assertThat(HalfFloat.bf16ToFloat(HalfFloat.floatToBf16(1 + 0x1p-8f))).isEqualTo(1f);
    assertThat(HalfFloat.bf16ToFloat(HalfFloat.floatToBf16(1 + 0x1p-8f + 0x1p-20f)))
        .isEqualTo(1 + 0x1p-7f);
  }

  @Test
  void writesAndReadsTensorsOfEveryDtype() {
    Path file = dir.resolve("mixed.safetensors");
    float[] values = {1.5f, -2.25f, 65504f};
    new SafeTensorsWriter()
        .add("h", DType.F16, new long[] {3}, DType.F16.encode(values))
        .add("b", DType.BF16, new long[] {3}, DType.BF16.encode(values))
        .write(file);
    SafeTensorsFile read = SafeTensorsFile.open(file);
    assertThat(read.info("h").dtype()).isEqualTo(DType.F16);
    assertThat(read.info("b").dtype()).isEqualTo(DType.BF16);
    assertThat(read.floats("h")).containsExactly(values);
    assertThat(read.floats("b")).containsExactly(1.5f, -2.25f, 65536f);
    assertThat(read.raw("h")).isEqualTo(DType.F16.encode(values));
  }
}
