package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;

/**
 * The arithmetic of a factored weight change {@code dW = U^T D}, written once for every layer of
 * the system that computes with one: the runtime's {@link FactoredDelta} (editing and training,
 * with autograd) and the agent's engine copy of composed factors (serving, in the host's DJL). For
 * an HF {@code [in, out]} weight, {@code U^T} is {@code [in, n]} and {@code D} is {@code [n, out]};
 * a gated row r applies only where its coefficient {@code x u_r^T} exceeds {@code gate_r}. A scale,
 * if any, is the caller's: each multiplies by it where it always has, so that every result stays
 * the same float for float.
 *
 * <p>Temporaries are closed as soon as they are used; the autograd graph holds its own references,
 * so gradients still flow through the results.
 *
 * <p>This class must use DJL's API and nothing else of mend4j (no other mend4j type in a signature
 * or a body), and stay public with static methods only: the agent defines it anew beside every copy
 * of DJL in the JVM (its {@code DjlCopyLoader}, as it does the agent's {@code djl} package), so
 * that each copy calls it on that copy's own {@code NDArray}. The runtime's other classes exist
 * once in the agent, resolving DJL through the first copy the host loads; calling one of them with
 * another copy's arrays would not link.
 */
public final class FactorProducts {

  private FactorProducts() {}

  /**
   * The coefficients {@code x U^T} of {@code x [..., in]}, gated: {@code [..., n]}, in x's manager.
   *
   * @param x the layer's input
   * @param transposedU {@code U^T}, {@code [in, n]}
   * @param gate per row, the coefficient must exceed for the row to apply ({@code [n]}), or null:
   *     every row applies
   */
  public static NDArray coefficients(NDArray x, NDArray transposedU, NDArray gate) {
    NDArray c = x.matMul(transposedU);
    if (gate == null) {
      return c;
    }
    try (c;
        NDArray open = c.gt(gate);
        NDArray weights = open.toType(c.getDataType(), false)) {
      return c.mul(weights);
    }
  }

  /**
   * {@code g(x U^T) D}: the change's contribution to the layer's output, {@code [..., out]}, in x's
   * manager.
   *
   * @param x the layer's input, {@code [..., in]}
   * @param transposedU {@code U^T}, {@code [in, n]}
   * @param delta {@code D}, {@code [n, out]}, scaled already if the caller scales it first
   * @param gate per row, as for {@link #coefficients}, or null
   */
  public static NDArray contribution(NDArray x, NDArray transposedU, NDArray delta, NDArray gate) {
    try (NDArray c = coefficients(x, transposedU, gate)) {
      return c.matMul(delta);
    }
  }

  /**
   * {@code U^T D}, the dense {@code [in, out]} change with every row applied, in the manager of
   * {@code transposedU}.
   */
  public static NDArray product(NDArray transposedU, NDArray delta) {
    return transposedU.matMul(delta);
  }
}
