package org.mend4j.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decoding's native one-row attention: the attention libtorch computes from the same cache, within
 * float32 rounding, with the row's key and value written at its position and nothing else in the
 * cache changed; out of the way wherever it does not apply.
 */
class RowAttentionTest {

  /** Of the largest output: sums of up to a few thousand terms in another order. */
  private static final float TOLERANCE = 1e-5f;

  private static final int HEADS = 12;
  private static final int DIM = 64;
  private static final float SCALE = 0.125f;

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
    manager.getEngine().setRandomSeed(17);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void aRowAttendsAsLibtorchOverTheCacheAndItsOwnPosition() {
    // the first position, one in the middle, the last of the buffer, and one past the stack scratch
    int[][] cases = {{64, 0}, {64, 40}, {64, 63}, {8192, 5000}};
    for (int[] c : cases) {
      int capacity = c[0];
      int position = c[1];
      NDArray keys = manager.randomNormal(new Shape(1, HEADS, capacity, DIM));
      NDArray values = manager.randomNormal(new Shape(1, HEADS, capacity, DIM));
      NDArray qkv = manager.randomNormal(new Shape(1, 1, 3L * HEADS * DIM));
      NDArray keysBefore = keys.duplicate();
      NDArray valuesBefore = values.duplicate();
      NDArray expected = libtorchAttention(qkv, keys, values, position);

      NDArray out = applied(RowAttention.attend(qkv, keys, values, position, SCALE));

      assertThat(out.getShape()).isEqualTo(new Shape(1, 1, (long) HEADS * DIM));
      assertClose(out, expected);
      NDList split = qkv.split(3, 2);
      NDIndex written = new NDIndex().addAllDim().addAllDim().addIndices(position);
      assertThat(keys.get(written)).isEqualTo(heads(split.get(1)).squeeze(2));
      assertThat(values.get(written)).isEqualTo(heads(split.get(2)).squeeze(2));
      keys.set(written, keysBefore.get(written));
      values.set(written, valuesBefore.get(written));
      assertThat(keys).as("the rest of the keys").isEqualTo(keysBefore);
      assertThat(values).as("the rest of the values").isEqualTo(valuesBefore);
    }
  }

  @Test
  void libtorchKeepsWhatItDoesNotApplyTo() {
    NDArray keys = manager.randomNormal(new Shape(1, HEADS, 64, DIM));
    NDArray values = manager.randomNormal(new Shape(1, HEADS, 64, DIM));
    NDArray qkv = manager.randomNormal(new Shape(1, 1, 3L * HEADS * DIM));
    NDArray keysBefore = keys.duplicate();
    assertThat(RowAttention.attend(qkv, keys, values, 64, SCALE)).as("a full cache").isEmpty();
    assertThat(RowAttention.attend(qkv, keys, values, -1, SCALE)).as("no position").isEmpty();
    assertThat(RowAttention.attend(qkv.reshape(1, 3L * HEADS * DIM), keys, values, 3, SCALE))
        .as("a query of another shape")
        .isEmpty();
    assertThat(RowAttention.attend(qkv.get(":, :, 1:"), keys, values, 3, SCALE))
        .as("a query of another width")
        .isEmpty();
    NDArray two = manager.randomNormal(new Shape(2, HEADS, 64, DIM));
    assertThat(RowAttention.attend(qkv, two, two, 3, SCALE)).as("a batch of two").isEmpty();
    assertThat(RowAttention.attend(qkv, keys, two, 3, SCALE)).as("mismatched values").isEmpty();
    qkv.setRequiresGradient(true);
    try (GradientCollector recording = manager.getEngine().newGradientCollector()) {
      assertThat(RowAttention.attend(qkv, keys, values, 3, SCALE)).as("recording").isEmpty();
    }
    assertThat(keys).as("the cache, after all of them").isEqualTo(keysBefore);
  }

  /** What {@code FunctionalGpt2} computes with libtorch from the cache and the new row. */
  private static NDArray libtorchAttention(
      NDArray qkv, NDArray keys, NDArray values, int position) {
    NDList split = qkv.split(3, 2);
    NDIndex before = new NDIndex().addAllDim().addAllDim().addSliceDim(0, position);
    NDArray k = keys.get(before).concat(heads(split.get(1)), 2);
    NDArray v = values.get(before).concat(heads(split.get(2)), 2);
    NDArray q = heads(split.get(0)).mul(SCALE);
    NDArray attended = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1).matMul(v);
    return attended.transpose(0, 2, 1, 3).reshape(1, 1, (long) HEADS * DIM);
  }

  private static NDArray heads(NDArray row) {
    return row.reshape(1, 1, HEADS, DIM).transpose(0, 2, 1, 3);
  }

  private static NDArray applied(Optional<NDArray> attended) {
    assertThat(attended).as("applies on this platform").isPresent();
    return attended.get();
  }

  private static void assertClose(NDArray actual, NDArray expected) {
    float scale = expected.abs().max().getFloat();
    float error = actual.sub(expected).abs().max().getFloat();
    assertThat(error).isLessThanOrEqualTo(TOLERANCE * scale);
  }
}
