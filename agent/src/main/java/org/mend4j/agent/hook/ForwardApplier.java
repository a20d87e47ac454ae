package org.mend4j.agent.hook;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mend4j.agent.binding.HostBinder;
import org.mend4j.agent.binding.LayerCatalog;
import org.mend4j.agent.binding.LayerState;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.FusedFactors;
import org.mend4j.agent.registry.Selection;
import org.mend4j.agent.registry.Snapshot;

/**
 * What the forward hook does when there is work: adds the selected edits' deltas to one layer
 * call's output. For a layer computing {@code y = x W^T + b} (HF: {@code y = x W + b}) whose weight
 * has selected edits, {@code y' = y + (x U^T) D}, the stacked factors of every edit (see {@link
 * FusedFactors}; past a size, their dense product, see {@link DeviceFactors}). Every operation has
 * {@code x} (or a result of it) as its first operand, so results belong to the host's per-call
 * manager, as the layer's own output does.
 *
 * <p>Inside a host request ({@link RequestScope}) the selection is chosen and pinned on the
 * request's first layer call ({@link VariantRouter}) and used for all its calls; outside one, each
 * call applies the current snapshot's default selection.
 *
 * <p>Attached to a running JVM, the agent did not see the host build its layers: it learns them as
 * they run ({@link #discovering()}) until {@value #QUIET_CALLS} layer calls in a row meet no new
 * one, and again whenever an edit waits for layers.
 *
 * <p>Fail-open: any {@link Throwable} is counted, the first one logged, and the host's output left
 * exactly as the layer computed it (the output list is changed only by the last statement).
 */
public final class ForwardApplier {

  /** Layer calls in a row without a new layer after which an attached agent knows them all. */
  static final int QUIET_CALLS = 2000;

  private final EditRegistry registry;
  private final LayerCatalog catalog;
  private final HostBinder binder;
  private final HookCounters counters;
  private final VariantRouter router;
  private final boolean injectFault;
  private final AtomicBoolean errorLogged = new AtomicBoolean();
  private final AtomicInteger quietCalls = new AtomicInteger();
  private volatile boolean discovering;

  /**
   * Creates the applier.
   *
   * @param registry the edits
   * @param catalog the host's layers
   * @param binder reads layers met for the first time
   * @param counters where to count
   * @param router chooses each request's variant
   * @param injectFault test-only: throw inside the hook whenever it would apply an edit
   */
  public ForwardApplier(
      EditRegistry registry,
      LayerCatalog catalog,
      HostBinder binder,
      HookCounters counters,
      VariantRouter router,
      boolean injectFault) {
    this.registry = registry;
    this.catalog = catalog;
    this.binder = binder;
    this.counters = counters;
    this.router = router;
    this.injectFault = injectFault;
    this.discovering = registry.attached();
  }

  /** The counters. */
  public HookCounters counters() {
    return counters;
  }

  /**
   * Whether the agent, attached to a running JVM, is still learning the host's layers from their
   * calls (then every layer call reaches the applier).
   */
  public boolean discovering() {
    return discovering;
  }

  /**
   * Applies the edits of the request's pinned selection bound to {@code layer}; pins it first if
   * this is the request's first layer call.
   */
  public void onForward(RequestScope scope, Object layer, NDList inputs, NDList output) {
    FusedFactors factors = null;
    try {
      if (!scope.pinned()) {
        Snapshot s = registry.current();
        router.pin(scope, s.pendingWork() || !s.hostReady() ? registry.settle() : s);
      }
      factors = apply(scope.snapshot(), scope.selection(), layer, inputs, output);
    } catch (Throwable t) {
      failed(t);
    } finally {
      Reference.reachabilityFence(factors);
    }
  }

  /**
   * Applies the default selection of {@code snapshot} (a layer call outside any host request).
   *
   * @param snapshot the snapshot read once by the hook for this call
   * @param layer the layer instance that ran
   * @param inputs its inputs ({@code x} first)
   * @param output its output, whose first array may be replaced
   */
  public void onForward(Snapshot snapshot, Object layer, NDList inputs, NDList output) {
    FusedFactors factors = null;
    try {
      factors = apply(snapshot, null, layer, inputs, output);
    } catch (Throwable t) {
      failed(t);
    } finally {
      Reference.reachabilityFence(factors);
    }
  }

  /**
   * The work of one call; {@code pinned} is the request's selection, or null to follow the
   * snapshot's default selection. Returns the factors used (to fence them), or null.
   */
  private FusedFactors apply(
      Snapshot snapshot, Selection pinned, Object layer, NDList inputs, NDList output) {
    if (output == null || output.isEmpty() || inputs == null || inputs.isEmpty()) {
      return null;
    }
    Snapshot s = snapshot.pendingWork() || !snapshot.hostReady() ? registry.settle() : snapshot;
    Selection selection = pinned != null ? pinned : s.active();
    boolean discover = discovering || registry.current().discoverUnbound();
    if (selection.isEmpty() && !discover) {
      return null;
    }
    LayerState state = catalog.get(layer);
    if (state == null || !state.prepared()) {
      state = catalog.track(layer);
      quietCalls.set(0);
      Snapshot after = firstSight(layer, state, s);
      if (pinned == null) {
        selection = after.active();
      }
    } else if (discovering && quietCalls.incrementAndGet() >= QUIET_CALLS) {
      discovering = false;
      AgentLog.info(
          "attached agent: "
              + catalog.size()
              + " host layers known ("
              + QUIET_CALLS
              + " layer calls met no new one)");
    }
    String fingerprint = state.fingerprint();
    FusedFactors factors = fingerprint == null ? null : selection.factorsFor(fingerprint);
    if (factors == null) {
      return null;
    }
    if (injectFault) {
      throw new IllegalStateException("fault injected by mend4j.test.fault=hook");
    }
    NDArray edited = apply(factors, inputs.get(0), output.get(0));
    output.set(0, edited);
    counters.applied(factors.edits());
    return factors;
  }

  private void failed(Throwable t) {
    counters.suppressed();
    if (errorLogged.compareAndSet(false, true)) {
      AgentLog.error(
          "the forward hook failed; the host's output is left unedited (logged once, counted"
              + " as suppressed errors)",
          t);
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

  /**
   * A layer the hook meets unprepared: read it, and bind waiting edits if it can take them.
   *
   * @return the snapshot after any rebinding
   */
  private Snapshot firstSight(Object layer, LayerState state, Snapshot s) {
    boolean ready = binder.prepare(layer, state, s.editShapes());
    Snapshot now = registry.current();
    if (ready && now.hostReady() && now.hasUnbound() && now.editShapes().contains(state.shape())) {
      registry.rebindUnbound();
      return registry.current();
    }
    return s;
  }
}
