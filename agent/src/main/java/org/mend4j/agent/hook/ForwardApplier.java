package org.mend4j.agent.hook;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mend4j.agent.binding.HostBinder;
import org.mend4j.agent.binding.LayerCatalog;
import org.mend4j.agent.binding.LayerState;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.FusedFactors;
import org.mend4j.agent.registry.Snapshot;

/**
 * What the forward hook does when the snapshot has work: adds the selected edits' deltas to one
 * layer call's output. For a layer computing {@code y = x W^T + b} (HF: {@code y = x W + b}) whose
 * weight has active edits, {@code y' = y + (x U^T) D}, the stacked factors of every edit (see
 * {@link FusedFactors}; past a size, their dense product, see {@link DeviceFactors}). Every
 * operation has {@code x} (or a result of it) as its first operand, so results belong to the host's
 * per-call manager, as the layer's own output does.
 *
 * <p>Fail-open: any {@link Throwable} is counted, the first one logged, and the host's output left
 * exactly as the layer computed it (the output list is changed only by the last statement).
 */
public final class ForwardApplier {

  private final EditRegistry registry;
  private final LayerCatalog catalog;
  private final HostBinder binder;
  private final HookCounters counters;
  private final boolean injectFault;
  private final AtomicBoolean errorLogged = new AtomicBoolean();

  /**
   * Creates the applier.
   *
   * @param registry the edits
   * @param catalog the host's layers
   * @param binder reads layers met for the first time
   * @param counters where to count
   * @param injectFault test-only: throw inside the hook whenever it would apply an edit
   */
  public ForwardApplier(
      EditRegistry registry,
      LayerCatalog catalog,
      HostBinder binder,
      HookCounters counters,
      boolean injectFault) {
    this.registry = registry;
    this.catalog = catalog;
    this.binder = binder;
    this.counters = counters;
    this.injectFault = injectFault;
  }

  /** The counters. */
  public HookCounters counters() {
    return counters;
  }

  /**
   * Applies the active edits of {@code snapshot} bound to {@code layer} to its output.
   *
   * @param snapshot the snapshot read once by the hook for this call
   * @param layer the layer instance that ran
   * @param inputs its inputs ({@code x} first)
   * @param output its output, whose first array may be replaced
   */
  public void onForward(Snapshot snapshot, Object layer, NDList inputs, NDList output) {
    FusedFactors factors = null;
    try {
      if (output == null || output.isEmpty() || inputs == null || inputs.isEmpty()) {
        return;
      }
      Snapshot s = snapshot.pendingWork() ? registry.settle() : snapshot;
      LayerState state = catalog.get(layer);
      if (state == null || !state.prepared()) {
        state = catalog.track(layer);
        s = firstSight(layer, state, s);
      }
      String fingerprint = state.fingerprint();
      factors = fingerprint == null ? null : s.active().factorsFor(fingerprint);
      if (factors == null) {
        return;
      }
      if (injectFault) {
        throw new IllegalStateException("fault injected by mend4j.test.fault=hook");
      }
      NDArray edited = apply(factors, inputs.get(0), output.get(0));
      output.set(0, edited);
      counters.applied(factors.edits());
    } catch (Throwable t) {
      counters.suppressed();
      if (errorLogged.compareAndSet(false, true)) {
        AgentLog.error(
            "the forward hook failed; the host's output is left unedited (logged once, counted"
                + " as suppressed errors)",
            t);
      }
    } finally {
      Reference.reachabilityFence(factors);
    }
  }

  /**
   * {@code x dW + y}, accumulated in place into the delta (a fresh array the hook owns, never the
   * host's {@code y}): one array and one native free fewer per call than {@code y.add(delta)}, with
   * the same bits (float addition commutes).
   */
  private static NDArray apply(FusedFactors factors, NDArray x, NDArray y) {
    NDArray delta = DeviceFactors.of(factors, x).delta(x);
    try {
      return delta.addi(y);
    } catch (RuntimeException e) {
      delta.close();
      throw e;
    }
  }

  /** A layer the hook meets unprepared: read it, and bind waiting edits if it can take them. */
  private Snapshot firstSight(Object layer, LayerState state, Snapshot s) {
    boolean ready = binder.prepare(layer, state, s.editShapes());
    if (ready && s.hostReady() && s.hasUnbound() && s.editShapes().contains(state.shape())) {
      registry.rebindUnbound();
      return registry.current();
    }
    return s;
  }
}
