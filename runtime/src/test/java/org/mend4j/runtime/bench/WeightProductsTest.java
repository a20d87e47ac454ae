package org.mend4j.runtime.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Weights;
import org.mend4j.runtime.testing.TestWeights;

class WeightProductsTest {

  @Test
  void readsEveryBlockMatrixAndTheHeadOncePerPass() {
    Gpt2Config c = TestWeights.smallConfig();
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights weights = TestWeights.nonTrivial(c, 1, manager);
        WeightProducts products = new WeightProducts(c, weights, manager)) {
      long e = c.nEmbd();
      long perBlock = e * 3 * e + e * e + 2 * e * c.nInner();
      assertThat(products.bytes())
          .isEqualTo((c.nLayer() * perBlock + c.vocabSize() * e) * Float.BYTES);
      long before = manager.getManagedArrays().size();
      products.run();
      products.run();
      assertThat(manager.getManagedArrays()).as("a pass keeps nothing").hasSize((int) before);
    }
  }
}
