package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Optional;

/**
 * What {@link FunctionalGpt2} reads its parameters from: a base weight per canonical HF name, and
 * any number of factored deltas on top of it. Deltas are applied to activations and never added
 * into the weight, so the base stays untouched and shareable.
 */
public interface Gpt2Params {

  /** The base tensor of a canonical parameter name (see {@link Gpt2Names}). */
  NDArray base(String name);

  /**
   * The padded buffer behind a base weight served as a view of it ({@link RowPadding}), for readers
   * that take a row stride: the view's values are its leading columns. Empty for every other
   * weight, and for parameters that do not hold their base weights themselves (the safe default:
   * only a wrapper whose {@link #base} is its delegate's delegates this too).
   */
  default Optional<NDArray> paddedStorage(String name) {
    return Optional.empty();
  }

  /** The factored deltas active on a parameter, in application order; empty for most. */
  default List<FactoredDelta> deltas(String name) {
    return List.of();
  }
}
