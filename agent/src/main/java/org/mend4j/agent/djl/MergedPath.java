package org.mend4j.agent.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.FusedFactors;
import org.mend4j.agent.registry.MergeSlot;
import org.mend4j.agent.registry.Selection;

/**
 * The merged fast path: before a DJL {@code Linear} computes, if the selection in use has edits for
 * its weight and the weight has at most {@link #maxFloats()} elements, the layer is computed here,
 * once, with the merged weight {@code W + dW^T} ({@link MergedWeight}, made once per weight and set
 * of edits, in an agent-owned manager) and the layer's own bias, and the layer's code is skipped.
 *
 * <p>On small layers DJL's per-operation overhead (about 10 us per call for the factored path's two
 * products and an addition, against a 40 us layer) is what an edit costs, and this path pays none
 * of it. The rule, weight size only, is a memory bound: a merged weight takes {@code in * out}
 * floats per selection in use, against {@code N (in + out)} for the factors. Gated factors are not
 * linear in {@code x} and are never merged.
 *
 * <p>A failure makes the layer run its own code, followed by the factored path (so the edits still
 * apply), and keeps that layer on the factored path from then on; it is counted and logged once.
 */
final class MergedPath {

  private final LayerCatalog catalog;
  private final HookCounters counters;
  private final long maxFloats;
  private final AtomicBoolean errorLogged = new AtomicBoolean();

  MergedPath(LayerCatalog catalog, HookCounters counters, long maxFloats) {
    this.catalog = catalog;
    this.counters = counters;
    this.maxFloats = Math.max(0, maxFloats);
  }

  /** Largest weight, in elements, this path takes (0: off). */
  long maxFloats() {
    return maxFloats;
  }

  /** Whether this path takes a weight of HF shape {@code [in, out]}. */
  boolean takes(long in, long out) {
    return in * out <= maxFloats;
  }

  /**
   * {@code Linear.linear(x, W + dW^T, b)} exactly as {@code Linear.forwardInternal} computes {@code
   * Linear.linear(x, W, b)}, with the same bias from the same parameter store, the result in {@code
   * x}'s manager, if {@code selection} has edits for {@code layer}'s weight and the rule takes it.
   * Null (the layer computes, then the factored path) in every other case, and on any failure.
   */
  NDList compute(
      Selection selection, Object layer, ParameterStore store, NDList inputs, boolean training) {
    if (maxFloats == 0 || training || selection.isEmpty()) {
      return null;
    }
    LayerState state = catalog.get(layer);
    if (state == null || !state.prepared() || !state.linearLayout() || state.mergeFailed()) {
      return null; // unseen layers go through the exit hook first (binding, discovery)
    }
    String fingerprint = state.fingerprint();
    FusedFactors factors = fingerprint == null ? null : selection.factorsFor(fingerprint);
    if (factors == null || factors.gated() || !takes(factors.in(), factors.out())) {
      return null;
    }
    MergeSlot slot = selection.mergeSlotFor(fingerprint);
    try {
      if (slot == null || inputs == null || inputs.size() != 1 || store == null) {
        return null;
      }
      NDArray x = inputs.get(0);
      if (x.getDataType() != DataType.FLOAT32) {
        return null;
      }
      ParameterList params = ((Block) layer).getDirectParameters();
      MergedWeight merged = MergedWeight.in(slot);
      if (merged == null) {
        merged =
            MergedWeight.of(slot, factors, weightOf(store, params.get("weight"), x), x, counters);
      }
      if (!merged.on(x.getDevice())) {
        return null;
      }
      NDArray bias = store.getValue(params.get("bias"), x.getDevice(), false);
      NDList output = Linear.linear(x, merged.weight(), bias);
      counters.merged(factors.edits());
      return output;
    } catch (Throwable t) {
      state.markMergeFailed();
      counters.suppressed();
      if (errorLogged.compareAndSet(false, true)) {
        AgentLog.error(
            "the merged fast path failed; the layer computes itself and the edits are added"
                + " factored (logged once, counted as suppressed errors)",
            t);
      }
      return null;
    } finally {
      Reference.reachabilityFence(slot);
      Reference.reachabilityFence(factors);
    }
  }

  /** The layer's float32 weight, read only the first time (to make the merged copy). */
  private static NDArray weightOf(ParameterStore store, Parameter weight, NDArray x) {
    if (weight == null || !weight.isInitialized()) {
      throw new IllegalStateException("the layer has no weight");
    }
    NDArray w = store.getValue(weight, x.getDevice(), false);
    if (w.getDataType() != DataType.FLOAT32) {
      throw new IllegalStateException("the layer's weight is " + w.getDataType() + ", not float32");
    }
    return w;
  }
}
