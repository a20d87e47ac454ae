package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.mend4j.runtime.gpt2.FactoredDelta;

/**
 * An edit's change to one weight, kept factored: {@code dW = alpha * u^T delta}.
 *
 * @param name the HF parameter name it was computed for, e.g. {@code
 *     transformer.h.3.mlp.c_fc.weight}
 * @param shape the HF shape {@code [in, out]} of that weight
 * @param fingerprint {@link Fingerprint} of the base weight
 * @param rows n, the number of factor rows
 * @param u row-major {@code [n, in]}
 * @param delta row-major {@code [n, out]}
 * @param alpha the per-layer scale
 */
public record ParamDelta(
    String name,
    long[] shape,
    String fingerprint,
    int rows,
    float[] u,
    float[] delta,
    float alpha) {

  /** Checks that the factors fit the shape. */
  public ParamDelta {
    if (shape.length != 2 || u.length != rows * shape[0] || delta.length != rows * shape[1]) {
      throw new IllegalArgumentException(
          "factors of '" + name + "' do not fit shape " + java.util.Arrays.toString(shape));
    }
  }

  /** Input width. */
  public long in() {
    return shape[0];
  }

  /** Output width. */
  public long out() {
    return shape[1];
  }

  /** Floats stored: {@code n (in + out)}, against {@code in * out} for a dense change. */
  public long storedFloats() {
    return (long) u.length + delta.length;
  }

  /** The factors as arrays in {@code manager}, ready for {@code FunctionalGpt2}. */
  public FactoredDelta toNd(NDManager manager) {
    return FactoredDelta.of(
        manager.create(u, new Shape(rows, in())),
        manager.create(delta, new Shape(rows, out())),
        alpha);
  }
}
