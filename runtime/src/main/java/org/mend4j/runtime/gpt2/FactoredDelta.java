package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;

/**
 * A weight change kept as factors: {@code dW = alpha * u^T delta} for an HF {@code [in, out]}
 * weight, with {@code u} of shape {@code [n, in]} and {@code delta} of shape {@code [n, out]}.
 * Applying it to activations {@code x} costs {@code O(n (in + out))} per row instead of
 * materialising {@code in * out} floats. All three parts may require gradients.
 *
 * @param u the input-side factor, {@code [n, in]}
 * @param delta the output-side factor, {@code [n, out]}
 * @param alpha the scale, a scalar array
 */
public record FactoredDelta(NDArray u, NDArray delta, NDArray alpha) {

  /** Creates a delta whose scale is a constant, allocated beside {@code u}. */
  public static FactoredDelta of(NDArray u, NDArray delta, float alpha) {
    return new FactoredDelta(u, delta, u.getManager().create(alpha));
  }

  /** {@code x dW}: the contribution of this delta to a linear layer's output. */
  public NDArray apply(NDArray x) {
    return x.matMul(u.transpose()).matMul(delta).mul(alpha);
  }

  /** The dense {@code [in, out]} matrix; for tests and the optional dense merge only. */
  public NDArray dense() {
    return u.transpose().matMul(delta).mul(alpha);
  }
}
