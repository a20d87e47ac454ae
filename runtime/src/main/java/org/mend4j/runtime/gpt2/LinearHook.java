package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;

/**
 * Observes the linear maps of a forward pass. MEND uses it to capture each inner layer's input
 * {@code x} and, through a zero leaf added to the output, the gradient of the loss with respect to
 * that output.
 */
@FunctionalInterface
public interface LinearHook {

  /** A hook that changes nothing. */
  LinearHook NONE = (name, input, output) -> output;

  /**
   * Called after the linear map of weight {@code name} (canonical) produced {@code output} from
   * {@code input}; returns the output the model continues with.
   */
  NDArray onLinear(String name, NDArray input, NDArray output);
}
