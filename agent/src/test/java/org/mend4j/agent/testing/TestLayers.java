package org.mend4j.agent.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.SplittableRandom;
import org.mend4j.runtime.edit.Fingerprint;

/**
 * DJL {@code Linear} layers loaded the way demo-app loads them: {@code setArray(hf.transpose())}.
 */
public final class TestLayers {

  private TestLayers() {}

  /** A layer with its HF weight kept for the test. */
  public record Layer(Linear linear, NDArray hfWeight, float[] hf, float[] bias) {
    /** The HF weight's fingerprint, as an edit computed for it records. */
    public String fingerprint() {
      return Fingerprint.of(hfWeight);
    }
  }

  /** A layer with random HF weight {@code [in, out]} and bias. */
  public static Layer linear(NDManager manager, int in, int out, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] hf = new float[in * out];
    float[] bias = new float[out];
    for (int i = 0; i < hf.length; i++) {
      hf[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < out; i++) {
      bias[i] = (float) random.nextGaussian();
    }
    Linear linear = Linear.builder().setUnits(out).build();
    NDArray w = manager.create(hf, new Shape(in, out));
    linear.getParameters().get("weight").setArray(w.transpose());
    linear.getParameters().get("bias").setArray(manager.create(bias, new Shape(out)));
    return new Layer(linear, w, hf, bias);
  }
}
