package org.mend4j.agent.registry;

/**
 * Identifies where the forward hook keeps the merged weight ({@code W + dW}) of one {@link
 * FusedFactors} while some selection uses it: each copy of DJL keys its merged weight by this
 * object, weakly. Selections hold their slots strongly; the factors hold theirs weakly (see {@link
 * FusedFactors#mergeSlot()}), so factors kept only for reuse (the registry's small cache of recent
 * factors) do not keep a dense copy alive: once no snapshot in use and no running call refers to
 * the slot, it becomes unreachable and the hook's {@code Cleaner} frees the copy.
 */
public final class MergeSlot {

  MergeSlot() {}
}
