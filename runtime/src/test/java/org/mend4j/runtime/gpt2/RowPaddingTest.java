package org.mend4j.runtime.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.testing.TestWeights;

/** Weights with rows a multiple of 4 KiB long are held padded and compute as the plain ones. */
class RowPaddingTest {

  /** {@code c_fc} is {@code [16, 1024]}: rows of 4 KiB. */
  private static final Gpt2Config CONFIG =
      new Gpt2Config(16, 2, 2, 16, 50, 1e-5f, 1024, "gelu_new", true, 49);

  private static final String C_FC = Gpt2Names.block(1, "mlp.c_fc.weight");
  private static final long[] IDS = {3, 17, 42, 8, 0, 49};

  @Test
  void aPaddedWeightKeepsItsValuesAndComputesAsTheNaiveModel() {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights given = TestWeights.nonTrivial(CONFIG, 3, manager)) {
      Map<String, float[]> plain = new HashMap<>();
      given.tensors().forEach((name, array) -> plain.put(name, array.toFloatArray()));
      NDArray original = manager.create(plain.get(C_FC), given.base(C_FC).getShape());
      Map<String, NDArray> tensors = new LinkedHashMap<>(given.tensors());
      NDManager owner = manager.newSubManager();
      original.attach(owner);
      tensors.put(C_FC, original);
      Gpt2Weights weights = new Gpt2Weights(CONFIG, tensors, owner, List.of());
      assertThat(RowPadding.aliased(original)).isTrue();
      assertThat(original.isReleased()).as("replaced by its padded copy").isTrue();
      assertThat(weights.base(C_FC).getShape()).isEqualTo(original.getShape());
      assertThat(weights.base(C_FC).toFloatArray()).containsExactly(plain.get(C_FC));
      NDArray storage = weights.paddedStorage(C_FC).orElseThrow();
      assertThat(storage.getShape()).isEqualTo(new Shape(16, 1024 + 16));
      assertThat(storage.get(":, :1024")).as("its leading columns").isEqualTo(weights.base(C_FC));
      assertThat(weights.paddedStorage(Gpt2Names.block(1, "attn.c_attn.weight"))).isEmpty();
      float[][] expected = new NaiveGpt2(CONFIG, plain).logits(IDS);
      try (NDManager scope = manager.newSubManager()) {
        float[] actual =
            new FunctionalGpt2(CONFIG)
                .forward(scope.create(new long[][] {IDS}), weights)
                .toFloatArray();
        for (int t = 0; t < IDS.length; t++) {
          for (int v = 0; v < CONFIG.vocabSize(); v++) {
            assertThat(actual[t * CONFIG.vocabSize() + v]).isCloseTo(expected[t][v], within(1e-4f));
          }
        }
      }
    }
  }

  @Test
  void aPaddedWeightGetsTheGradientOfAPlainOne() {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights weights = TestWeights.nonTrivial(CONFIG, 4, manager)) {
      NDArray padded = weights.base(C_FC);
      NDArray plain = padded.duplicate();
      float[] viaPadded = gradient(weights, padded, name -> weights.base(name), manager);
      float[] viaPlain =
          gradient(weights, plain, name -> name.equals(C_FC) ? plain : weights.base(name), manager);
      assertThat(viaPadded).hasSameSizeAs(viaPlain);
      for (int i = 0; i < viaPlain.length; i++) {
        assertThat(viaPadded[i]).isCloseTo(viaPlain[i], within(1e-5f));
      }
      assertThat(viaPlain).isNotEqualTo(new float[viaPlain.length]);
    }
  }

  private static float[] gradient(
      Gpt2Weights weights,
      NDArray leaf,
      java.util.function.Function<String, NDArray> base,
      NDManager manager) {
    leaf.setRequiresGradient(true);
    try (NDManager scope = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      Gpt2Params params = base::apply;
      collector.backward(
          new FunctionalGpt2(CONFIG).forward(scope.create(new long[][] {IDS}), params).sum());
    }
    float[] out = leaf.getGradient().toFloatArray();
    leaf.setRequiresGradient(false);
    return out;
  }
}
