package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands that stay alive as long as the arrays they scale.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (and {@code add}, {@code div}, {@code pow} with a {@code
 * Number}) wraps the number in a temporary array over a direct buffer and closes it right after the
 * op. Under a {@code GradientCollector}, PyTorch keeps that tensor for the backward pass, but its
 * buffer is now unreachable: once the garbage collector frees it, backward reads freed memory and
 * gradients turn to garbage or NaN at random. Every scalar on a differentiable path is therefore
 * created with {@link #of}, in the operand's own manager, which the caller closes only after
 * backward.
 */
public final class Scalars {

  private Scalars() {}

  /** A float32 scalar in the manager of {@code like}. */
  public static NDArray of(NDArray like, float value) {
    return like.getManager().create(value);
  }
}
