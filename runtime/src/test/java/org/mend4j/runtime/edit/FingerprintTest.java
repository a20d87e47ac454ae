package org.mend4j.runtime.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** A weight's fingerprint read block by block is the hash of its values read whole. */
class FingerprintTest {

  private static final int IN = 300;
  private static final int OUT = 512; // 2 KiB rows: three blocks of rows, the last one short

  /** {@code [IN, OUT]} values, row-major. */
  private static float[] values() {
    float[] hf = new float[IN * OUT];
    for (int i = 0; i < hf.length; i++) {
      hf[i] = (float) Math.sin(i);
    }
    return hf;
  }

  private static String whole(float[] hf) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * hf.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(hf);
    return Fingerprint.of(new long[] {IN, OUT}, bytes);
  }

  @Test
  void aContiguousWeightHashesToItsValues() {
    float[] hf = values();
    assertThat(IN * OUT * 4L).isGreaterThan(2 * Fingerprint.BLOCK_BYTES);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = manager.create(hf, new Shape(IN, OUT));
      int held = manager.getManagedArrays().size();
      assertThat(Fingerprint.of(weight)).isEqualTo(whole(hf));
      assertThat(manager.getManagedArrays()).hasSize(held);
    }
  }

  @Test
  void aTransposedViewHashesToItsValuesInLogicalOrder() {
    float[] hf = values();
    float[] outIn = new float[hf.length];
    for (int i = 0; i < IN; i++) {
      for (int o = 0; o < OUT; o++) {
        outIn[o * IN + i] = hf[i * OUT + o];
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray view = manager.create(outIn, new Shape(OUT, IN)).transpose();
      int held = manager.getManagedArrays().size();
      assertThat(Fingerprint.of(view)).isEqualTo(whole(hf));
      assertThat(manager.getManagedArrays()).hasSize(held);
    }
  }

  @Test
  void aScalarIsNotAWeight() {
    assertThatThrownBy(() -> Fingerprint.ofRowBlocks(new long[0], (from, to, digest) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scalar");
  }
}
