package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;

/**
 * A weight change kept as factors: {@code dW = alpha * u^T delta} for an HF {@code [in, out]}
 * weight, with {@code u} of shape {@code [n, in]} and {@code delta} of shape {@code [n, out]}.
 * Applying it to activations {@code x} costs {@code O(n (in + out))} per row instead of
 * materialising {@code in * out} floats. All three parts may require gradients. The arithmetic is
 * {@link FactorProducts}'s, shared with the agent; this is the runtime's form of a change, its
 * factors as arrays for {@link FunctionalGpt2} (editing, training, evaluating), made from a stored
 * edit's factors ({@code edit.ParamDelta}) or from a composed set of them ({@code alpha} 1, {@code
 * delta} scaled already).
 *
 * @param u the input-side factor, {@code [n, in]}
 * @param delta the output-side factor, {@code [n, out]}
 * @param alpha the scale, a scalar array
 * @param gate per factor row, the coefficient {@code x u_r^T} must exceed for the row to apply
 *     ({@code [n]}), or null: every row applies
 * @param constant whether backpropagation ignores this delta: its contribution to the output is
 *     kept, but no gradient flows through it to the layer's input (see {@link #asConstant})
 */
public record FactoredDelta(
    NDArray u, NDArray delta, NDArray alpha, NDArray gate, boolean constant) {

  /** An ungated delta that gradients flow through. */
  public FactoredDelta(NDArray u, NDArray delta, NDArray alpha) {
    this(u, delta, alpha, null, false);
  }

  /** Creates a delta whose scale is a constant, allocated beside {@code u}. */
  public static FactoredDelta of(NDArray u, NDArray delta, float alpha) {
    return new FactoredDelta(u, delta, u.getManager().create(alpha));
  }

  /** {@code x dW}: the contribution of this delta to a linear layer's output. */
  public NDArray apply(NDArray x) {
    try (NDArray input = constant ? x.stopGradient() : null;
        NDArray transposedU = u.transpose();
        NDArray unscaled =
            FactorProducts.contribution(input == null ? x : input, transposedU, delta, gate)) {
      return unscaled.mul(alpha);
    }
  }

  /**
   * The same change, invisible to backpropagation. A composed set of edits is large along the
   * directions the model rarely uses (whitening by the inverse covariance), which the forward pass
   * hardly meets but a backward pass through it amplifies: the gradient of a new edit, computed on
   * the model with the others active, is taken through the base weights only.
   */
  public FactoredDelta asConstant() {
    return new FactoredDelta(u, delta, alpha, gate, true);
  }

  /**
   * The same change with every row applied to every input: what a weight changed in place holds (a
   * TorchScript module's, a merged checkpoint's). Rows a later edit superseded are zero, so they
   * still add nothing.
   */
  public FactoredDelta withGatesOpen() {
    return gate == null ? this : new FactoredDelta(u, delta, alpha, null, constant);
  }

  /** The dense {@code [in, out]} matrix; for tests and the optional dense merge only. */
  public NDArray dense() {
    try (NDArray transposedU = u.transpose();
        NDArray unscaled = FactorProducts.product(transposedU, delta)) {
      return unscaled.mul(alpha);
    }
  }
}
