package org.mend4j.runtime.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Init;
import org.mend4j.runtime.gpt2.Gpt2Weights;

/** Small GPT-2 weights for tests, with every bias and LayerNorm parameter made non-trivial. */
public final class TestWeights {

  private TestWeights() {}

  /** A 2-layer, 16-wide GPT-2 with vocabulary 50 and context 16. */
  public static Gpt2Config smallConfig() {
    return new Gpt2Config(16, 2, 2, 16, 50, 1e-5f, 64, "gelu_new", true, 49);
  }

  /** Random weights whose biases and LayerNorm parameters are far from 0 and 1. */
  public static Gpt2Weights nonTrivial(Gpt2Config config, long seed, NDManager parent) {
    SplittableRandom random = new SplittableRandom(seed);
    try (Gpt2Weights init = Gpt2Init.initialize(config, seed, parent)) {
      NDManager manager = parent.newSubManager();
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      init.tensors()
          .forEach(
              (name, array) -> {
                float[] values = array.toFloatArray();
                double scale = name.contains("ln_") || name.endsWith(".bias") ? 0.5 : 5;
                for (int i = 0; i < values.length; i++) {
                  values[i] += (float) (random.nextGaussian() * scale * 0.1);
                }
                tensors.put(name, manager.create(values, array.getShape()));
              });
      return new Gpt2Weights(config, tensors, manager, List.of());
    }
  }
}
