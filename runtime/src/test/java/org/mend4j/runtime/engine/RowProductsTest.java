package org.mend4j.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decoding's native one-row products: loaded on this machine exactly when the policy says so (the
 * session applied them before the first test, {@link CliEngineSession}), equal to libtorch's
 * products within float32 rounding, and out of the way wherever they do not apply.
 */
class RowProductsTest {

  /**
   * Of the largest output: float32 sums of up to 3072 terms in another order differ by about 1e-6
   * of it.
   */
  private static final float TOLERANCE = 1e-5f;

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
    manager.getEngine().setRandomSeed(16);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void theLibraryIsLoadedExactlyWhenThisPlatformHasIt() {
    Optional<String> skip = RowProducts.reasonToSkip();
    assertThat(RowProducts.apply()).isEqualTo(skip);
    assertThat(RowProducts.loaded()).isEqualTo(skip.isEmpty());
  }

  @Test
  void aRowTimesAMatrixPlusBiasIsLibtorchsProduct() {
    // GPT-2 small's c_attn and mlp.c_proj; rows not a multiple of eight; one column
    for (long[] dims : new long[][] {{768, 2304}, {3072, 768}, {1001, 1100}, {1 << 20, 1}}) {
      NDArray weight = manager.randomNormal(new Shape(dims));
      NDArray bias = manager.randomNormal(new Shape(dims[1]));
      NDArray x = manager.randomNormal(new Shape(1, 1, dims[0]));
      Shape before = x.getShape();
      NDArray expected = x.matMul(weight).add(bias);
      NDArray y = applied(RowProducts.timesMatrix(x, weight, bias));
      assertThat(x.getShape()).isEqualTo(before);
      assertThat(y.getShape()).isEqualTo(expected.getShape());
      assertClose(y, expected);
      assertClose(applied(RowProducts.timesMatrix(x, weight, null)), x.matMul(weight));
    }
  }

  @Test
  void aRowTimesTheRowsOfAMatrixIsLibtorchsProductWithItsTranspose() {
    NDArray rows = manager.randomNormal(new Shape(11001, 96));
    NDArray h = manager.randomNormal(new Shape(1, 96));
    NDArray y = applied(RowProducts.timesRowsOf(h, rows));
    assertThat(y.getShape()).isEqualTo(new Shape(1, 11001));
    assertClose(y, h.matMul(rows.transpose()));
  }

  @Test
  void aMatrixHeldAsTheLeadingColumnsOfAWiderBufferIsReadThroughItsStride() {
    // GPT-2 small's c_fc as Gpt2Weights holds it: rows padded by 16 floats
    NDArray storage = manager.randomNormal(new Shape(768, 3088));
    NDArray bias = manager.randomNormal(new Shape(3072));
    NDArray x = manager.randomNormal(new Shape(1, 1, 768));
    NDArray expected = x.matMul(storage.get(":, :3072")).add(bias);
    assertClose(applied(RowProducts.timesMatrix(x, storage, 3072, bias)), expected);
    NDArray rows = manager.randomNormal(new Shape(11001, 112));
    NDArray h = manager.randomNormal(new Shape(1, 96));
    NDArray heads = applied(RowProducts.timesRowsOf(h, rows, 96));
    assertClose(heads, h.matMul(rows.get(":, :96").transpose()));
    assertThat(RowProducts.timesMatrix(x, storage, 3089, bias)).as("columns past a row").isEmpty();
    assertThat(RowProducts.timesRowsOf(h, rows, 113)).as("a row past the stride").isEmpty();
  }

  @Test
  void anInputViewIsReadAsItsValues() {
    NDArray weight = manager.randomNormal(new Shape(1024, 1024));
    NDArray wide = manager.randomNormal(new Shape(1024, 2));
    NDArray column = wide.get(":, 1").reshape(1, 1024); // every other float of wide's storage
    assertClose(applied(RowProducts.timesMatrix(column, weight, null)), column.matMul(weight));
  }

  @Test
  void aRowOfALargerArrayIsReadAtItsOffset() {
    NDArray weight = manager.randomNormal(new Shape(1024, 1024));
    NDArray rows = manager.randomNormal(new Shape(5, 1024));
    NDArray third = rows.get("2:3"); // a view starting 2048 floats into rows' storage
    assertClose(applied(RowProducts.timesMatrix(third, weight, null)), third.matMul(weight));
  }

  @Test
  void libtorchKeepsWhatTheyDoNotApplyTo() {
    NDArray weight = manager.randomNormal(new Shape(1024, 1024));
    NDArray bias = manager.randomNormal(new Shape(1024));
    NDArray rows = manager.randomNormal(new Shape(2, 1024));
    NDArray x = rows.get(0);
    assertThat(RowProducts.timesMatrix(x, weight, bias)).as("what applies").isPresent();
    assertThat(RowProducts.timesMatrix(rows, weight, bias)).as("two rows").isEmpty();
    assertThat(RowProducts.timesMatrix(x.get(":511"), weight.get(":511"), bias))
        .as("a weight under MIN_WEIGHT_FLOATS")
        .isEmpty();
    NDArray tall = manager.randomNormal(new Shape(1025, 1024));
    assertThat(RowProducts.timesMatrix(x, tall, bias)).as("an input of another length").isEmpty();
    assertThat(RowProducts.timesMatrix(x, weight, bias.get(":1023")))
        .as("a bias of another length")
        .isEmpty();
    assertThat(
            RowProducts.timesMatrix(
                x.toType(DataType.FLOAT64, false), weight.toType(DataType.FLOAT64, false), null))
        .as("float64")
        .isEmpty();
    assertThat(RowProducts.timesRowsOf(x, tall.transpose())).as("rows of another length").isEmpty();
    x.setRequiresGradient(true);
    try (GradientCollector recording = manager.getEngine().newGradientCollector()) {
      assertThat(RowProducts.timesMatrix(x, weight, bias)).as("recording").isEmpty();
      assertThat(RowProducts.timesRowsOf(x, weight)).as("recording").isEmpty();
    }
  }

  private static NDArray applied(Optional<NDArray> product) {
    assertThat(product).as("applies on this platform").isPresent();
    return product.get();
  }

  private static void assertClose(NDArray actual, NDArray expected) {
    float scale = expected.abs().max().getFloat();
    float error = actual.sub(expected).abs().max().getFloat();
    assertThat(error).isLessThanOrEqualTo(TOLERANCE * scale);
  }
}
