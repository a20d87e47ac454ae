package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What {@link FunctionalGpt2} reads its parameters from: a base weight per canonical HF name, and
 * any number of factored deltas on top of it. Deltas are applied to activations and never added
 * into the weight, so the base stays untouched and shareable.
 */
public interface Gpt2Params {

  /** The base tensor of a canonical parameter name (see {@link Gpt2Names}). */
  NDArray base(String name);

  /** The factored deltas active on a parameter, in application order; empty for most. */
  default List<FactoredDelta> deltas(String name) {
    return List.of();
  }
}
