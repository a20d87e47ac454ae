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
    for (long[] dims : new long[][] {{768, 2304}, {3072, 768}, {13, 5}, {9, 1}}) {
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
    NDArray rows = manager.randomNormal(new Shape(1001, 96));
    NDArray h = manager.randomNormal(new Shape(1, 96));
    NDArray y = applied(RowProducts.timesRowsOf(h, rows));
    assertThat(y.getShape()).isEqualTo(new Shape(1, 1001));
    assertClose(y, h.matMul(rows.transpose()));
  }

  @Test
  void anInputViewIsReadAsItsValues() {
    NDArray weight = manager.randomNormal(new Shape(8, 6));
    NDArray wide = manager.randomNormal(new Shape(8, 2));
    NDArray column = wide.get(":, 1").reshape(1, 8); // every other float of wide's storage
    assertClose(applied(RowProducts.timesMatrix(column, weight, null)), column.matMul(weight));
  }

  @Test
  void aRowOfALargerArrayIsReadAtItsOffset() {
    NDArray weight = manager.randomNormal(new Shape(8, 6));
    NDArray rows = manager.randomNormal(new Shape(5, 8));
    NDArray third = rows.get("2:3"); // a view starting 16 floats into rows' storage
    assertClose(applied(RowProducts.timesMatrix(third, weight, null)), third.matMul(weight));
  }

  @Test
  void libtorchKeepsWhatTheyDoNotApplyTo() {
    NDArray weight = manager.randomNormal(new Shape(8, 6));
    NDArray bias = manager.randomNormal(new Shape(6));
    NDArray rows = manager.randomNormal(new Shape(2, 8));
    assertThat(RowProducts.timesMatrix(rows, weight, bias)).as("two rows").isEmpty();
    assertThat(RowProducts.timesMatrix(rows.get(0).reshape(1, 8), weight.get(":7"), bias))
        .as("an input of another length")
        .isEmpty();
    assertThat(RowProducts.timesMatrix(rows.get(0), weight, bias.get(":5")))
        .as("a bias of another length")
        .isEmpty();
    assertThat(
            RowProducts.timesMatrix(
                rows.get(0).toType(DataType.FLOAT64, false),
                weight.toType(DataType.FLOAT64, false),
                null))
        .as("float64")
        .isEmpty();
    assertThat(RowProducts.timesRowsOf(rows.get(0), weight)).as("rows of another length").isEmpty();
    NDArray x = rows.get(0);
    x.setRequiresGradient(true);
    try (GradientCollector recording = manager.getEngine().newGradientCollector()) {
      assertThat(RowProducts.timesMatrix(x, weight, bias)).as("recording").isEmpty();
      assertThat(RowProducts.timesRowsOf(x, weight.transpose())).as("recording").isEmpty();
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
