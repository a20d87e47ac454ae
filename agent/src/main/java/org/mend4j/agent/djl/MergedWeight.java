package org.mend4j.agent.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.lang.ref.Cleaner;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.internal.AgentCleaner;
import org.mend4j.agent.internal.WeakIdentityMap;
import org.mend4j.agent.registry.FusedFactors;
import org.mend4j.agent.registry.MergeSlot;

/**
 * A layer weight with a selection's edits merged in, {@code W' = W + dW^T} in DJL's {@code [out,
 * in]} layout, for the forward hook's merged fast path: the hook then computes the layer once,
 * {@code y = x W'^T + b}, instead of the layer's own {@code x W^T + b} plus the factored {@code (x
 * U^T) D}. Made once per {@link FusedFactors} (one host weight, identified by its fingerprint, and
 * one set of edits on it), in an agent-owned manager, never in the host's and never written into
 * the host's parameter (DESIGN decision 2). It is kept, per copy of DJL, in a weak map keyed by the
 * factors' {@link MergeSlot}, which the selections using them hold; when no snapshot in use and no
 * running call refers to the slot any more, a {@link Cleaner} closes the manager. Callers hold the
 * slot reachable while they compute ({@code Reference.reachabilityFence}).
 */
final class MergedWeight {

  /** This copy's merged weights, by the slot of the selections using them. */
  private static final WeakIdentityMap<MergeSlot, MergedWeight> IN_SLOT = new WeakIdentityMap<>();

  private final NDArray weight;
  private final Device device;

  private MergedWeight(NDArray weight, Device device) {
    this.weight = weight;
    this.device = device;
  }

  /** {@code W + dW^T}, {@code [out, in]}. */
  NDArray weight() {
    return weight;
  }

  /** Whether it can serve a call with input on {@code d}. */
  boolean on(Device d) {
    return device.equals(d);
  }

  /** The merged weight in {@code slot}, or null. */
  static MergedWeight in(MergeSlot slot) {
    return IN_SLOT.get(slot);
  }

  /**
   * The merged weight in {@code slot}, made from {@code factors} and the host's {@code hostWeight}
   * if the slot is empty.
   *
   * @param slot the factors' slot, held by the selection in use
   * @param factors the selected edits' factors for this weight
   * @param hostWeight the layer's weight {@code [out, in]}; only read
   * @param x the call's input (device and engine)
   * @param counters counts merged weights alive
   */
  static MergedWeight of(
      MergeSlot slot, FusedFactors factors, NDArray hostWeight, NDArray x, HookCounters counters) {
    MergedWeight cached = IN_SLOT.get(slot);
    if (cached != null) {
      return cached;
    }
    synchronized (slot) {
      cached = IN_SLOT.get(slot);
      if (cached != null) {
        return cached;
      }
      long[] shape = hostWeight.getShape().getShape();
      if (shape.length != 2 || shape[0] != factors.out() || shape[1] != factors.in()) {
        throw new IllegalStateException(
            "layer weight of shape "
                + hostWeight.getShape()
                + " cannot take edits of HF shape ["
                + factors.in()
                + ", "
                + factors.out()
                + "]");
      }
      DeviceFactors d = DeviceFactors.of(factors, x);
      NDManager manager = DeviceFactors.root(x).newSubManager();
      try {
        MergedWeight m = new MergedWeight(d.mergedWith(hostWeight, manager), x.getDevice());
        long floats = (long) factors.in() * factors.out();
        counters.mergedWeightCreated(floats);
        AgentCleaner.CLEANER.register(
            slot,
            () -> {
              manager.close();
              counters.mergedWeightFreed(floats);
            });
        IN_SLOT.computeIfAbsent(slot, k -> m);
        return m;
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    }
  }
}
