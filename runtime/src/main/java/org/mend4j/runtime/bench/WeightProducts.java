package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mend4j.runtime.gpt2.FunctionalGpt2;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.gpt2.Gpt2Params;

/**
 * The one-row products a decode step makes with the weights (each block's four matrices with their
 * biases, then the tied head), made as {@code FunctionalGpt2} makes them ({@code RowProducts} where
 * loaded, else libtorch), timed on their own. Their read rate is what those kernels reach on this
 * machine, which can be below the bandwidth a plain sum reaches: decode's distance from the
 * bandwidth floor then splits into the kernels' part (these products against the floor) and the
 * rest of the step (decode against these products).
 */
final class WeightProducts implements AutoCloseable {

  /** One product {@code input x weight + bias}. */
  private record Product(
      NDArray input, NDArray weight, Optional<NDArray> paddedStorage, NDArray bias) {}

  private final NDManager scope;
  private final List<Product> products = new ArrayList<>();
  private final FunctionalGpt2 model;
  private final Gpt2Params weights;
  private final NDArray embedded;
  private final long bytes;

  /**
   * The products of {@code weights} (a model of {@code config}), with inputs under {@code parent}.
   */
  WeightProducts(Gpt2Config config, Gpt2Params weights, NDManager parent) {
    this.scope = parent.newSubManager();
    NDArray embedded = scope.randomNormal(new Shape(1, 1, config.nEmbd()));
    NDArray inner = scope.randomNormal(new Shape(1, 1, config.nInner()));
    long floats = 0;
    for (int layer = 0; layer < config.nLayer(); layer++) {
      for (String name : List.of("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj")) {
        String weightName = Gpt2Names.block(layer, name + ".weight");
        NDArray weight = weights.base(weightName);
        NDArray bias = weights.base(Gpt2Names.block(layer, name + ".bias"));
        NDArray input = name.equals("mlp.c_proj") ? inner : embedded;
        products.add(new Product(input, weight, weights.paddedStorage(weightName), bias));
        floats += weight.size();
      }
    }
    this.model = new FunctionalGpt2(config);
    this.weights = weights;
    this.embedded = embedded;
    this.bytes = (floats + weights.base(Gpt2Names.LM_HEAD).size()) * Float.BYTES;
  }

  /** Bytes of weights one pass reads. */
  long bytes() {
    return bytes;
  }

  /** Runs every product once. */
  void run() {
    try (NDManager pass = scope.newSubManager()) {
      for (Product p : products) {
        FunctionalGpt2.rowProduct(p.input(), p.weight(), p.paddedStorage(), p.bias())
            .orElseGet(() -> p.input().matMul(p.weight()).addi(p.bias()))
            .attach(pass);
      }
      NDArray hidden = embedded.duplicate(); // in the pass: the head's view is made in its manager
      hidden.attach(pass);
      model.logits(hidden, weights);
    }
  }

  @Override
  public void close() {
    scope.close();
  }
}
