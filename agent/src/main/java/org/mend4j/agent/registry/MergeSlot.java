package org.mend4j.agent.registry;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the forward hook keeps the merged weight ({@code W + dW}) of one {@link FusedFactors} while
 * some selection uses it. Selections hold their slots strongly; the factors hold theirs weakly (see
 * {@link FusedFactors#mergeSlot()}), so factors kept only for reuse (the registry's small cache of
 * recent factors) do not keep a dense copy alive: once no snapshot in use and no running call
 * refers to the slot, it becomes unreachable and the hook's {@code Cleaner} frees the copy.
 *
 * <p>Opaque here: the registry knows no engine.
 */
public final class MergeSlot {

  private final AtomicReference<Object> merged = new AtomicReference<>();

  MergeSlot() {}

  /** The hook's merged weight for these factors (opaque), or null until it made one. */
  public AtomicReference<Object> merged() {
    return merged;
  }
}
