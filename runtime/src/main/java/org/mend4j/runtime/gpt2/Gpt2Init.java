package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fresh GPT-2 weights as HF initialises them: normal(0, 0.02) matrices, residual projections scaled
 * by {@code 1/sqrt(2 n_layer)}, zero biases, unit LayerNorms. Seeded and computed in Java, so the
 * same seed gives the same model on every machine.
 */
public final class Gpt2Init {

  private Gpt2Init() {}

  /** New weights for {@code config}, owned by a new sub-manager of {@code parent}. */
  public static Gpt2Weights initialize(Gpt2Config config, long seed, NDManager parent) {
    SplittableRandom random = new SplittableRandom(seed);
    NDManager manager = parent.newSubManager();
    double residualStd = 0.02 / Math.sqrt(2.0 * config.nLayer());
    var tensors = new LinkedHashMap<String, ai.djl.ndarray.NDArray>();
    for (Map.Entry<String, long[]> e : Gpt2Names.shapes(config).entrySet()) {
      String name = e.getKey();
      float[] values = new float[Math.toIntExact(new Shape(e.getValue()).size())];
      if (name.contains("ln_")) {
        Arrays.fill(values, name.endsWith(".weight") ? 1f : 0f);
      } else if (!name.endsWith(".bias")) {
        double std = name.endsWith("c_proj.weight") ? residualStd : 0.02;
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * std);
        }
      }
      tensors.put(name, manager.create(values, new Shape(e.getValue())));
    }
    return new Gpt2Weights(config, tensors, manager, List.of());
  }
}
