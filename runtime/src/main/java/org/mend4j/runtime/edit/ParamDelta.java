package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.mend4j.runtime.gpt2.FactoredDelta;

/**
 * An edit's change to one weight, kept factored: {@code dW = alpha * u^T delta}; and, for edits
 * made by an editor with key statistics, the {@link KeyValues} that let it be composed with others.
 *
 * <p>This is the stored form of a change (an edit file's tensors, the registry's edits): Java
 * arrays, one edit's own factors, never composed. Composing a set of them gives an {@link
 * EditComposition.Composed}; on arrays, the runtime computes with a {@link FactoredDelta} ({@link
 * #toNd}), whose arithmetic is {@code gpt2.FactorProducts}.
 *
 * @param name the HF parameter name it was computed for, e.g. {@code
 *     transformer.h.3.mlp.c_fc.weight}
 * @param shape the HF shape {@code [in, out]} of that weight
 * @param fingerprint {@link Fingerprint} of the base weight
 * @param rows n, the number of factor rows
 * @param u row-major {@code [n, in]}
 * @param delta row-major {@code [n, out]}
 * @param alpha the per-layer scale
 * @param keyValues the keys and values for composition, or null (an edit that can only be summed:
 *     made before key statistics existed, or by an editor without them)
 */
public record ParamDelta(
    String name,
    long[] shape,
    String fingerprint,
    int rows,
    float[] u,
    float[] delta,
    float alpha,
    KeyValues keyValues) {

  /** Checks that the factors (and keys and values) fit the shape. */
  public ParamDelta {
    if (shape.length != 2 || u.length != rows * shape[0] || delta.length != rows * shape[1]) {
      throw new IllegalArgumentException(
          "factors of '" + name + "' do not fit shape " + java.util.Arrays.toString(shape));
    }
    if (keyValues != null && (keyValues.in() != shape[0] || keyValues.out() != shape[1])) {
      throw new IllegalArgumentException(
          "keys and values of '" + name + "' do not fit shape " + java.util.Arrays.toString(shape));
    }
  }

  /** A change without keys and values: it composes by summation only. */
  public ParamDelta(
      String name,
      long[] shape,
      String fingerprint,
      int rows,
      float[] u,
      float[] delta,
      float alpha) {
    this(name, shape, fingerprint, rows, u, delta, alpha, null);
  }

  /** Input width. */
  public long in() {
    return shape[0];
  }

  /** Output width. */
  public long out() {
    return shape[1];
  }

  /** Floats stored: {@code n (in + out)} plus keys and values, against {@code in * out} dense. */
  public long storedFloats() {
    return (long) u.length + delta.length + (keyValues == null ? 0 : keyValues.storedFloats());
  }

  /** The factors as arrays in {@code manager}, ready for {@code FunctionalGpt2}. */
  public FactoredDelta toNd(NDManager manager) {
    return FactoredDelta.of(
        manager.create(u, new Shape(rows, in())),
        manager.create(delta, new Shape(rows, out())),
        alpha);
  }
}
