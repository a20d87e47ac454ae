package org.mend4j.agent.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.RequestScope;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.FusedFactors;
import org.mend4j.agent.registry.Selection;
import org.mend4j.agent.registry.Snapshot;

/**
 * What the forward hook does when there is work on a DJL layer: adds the selected edits' deltas to
 * one layer call's output. For a layer computing {@code y = x W^T + b} (HF: {@code y = x W + b})
 * whose weight has selected edits, {@code y' = y + (x U^T) D}, the stacked factors of every edit
 * (see {@link FusedFactors}; past a size, their dense product, see {@link DeviceFactors}). Every
 * operation has {@code x} (or a result of it) as its first operand, so results belong to the host's
 * per-call manager, as the layer's own output does.
 *
 * <p>It composes three parts with one job each: the request's selection, pinned once per request
 * ({@link VariantRouter#selectionOf}); layers learnt from their calls ({@link LayerDiscovery});
 * and, before a {@code Linear} computes, the {@link MergedPath} that computes an edited layer
 * itself with a merged weight. Outside a host request each call applies the current snapshot's
 * default selection.
 *
 * <p>Fail-open: any {@link Throwable} is counted, the first one logged, and the host's output left
 * exactly as the layer computed it (the output list is changed only by the last statement).
 */
public final class ForwardApplier {

  private final EditRegistry registry;
  private final HookCounters counters;
  private final VariantRouter router;
  private final LayerDiscovery discovery;
  private final MergedPath mergedPath;
  private final AtomicBoolean errorLogged = new AtomicBoolean();

  /**
   * Creates the applier.
   *
   * @param registry the edits
   * @param catalog the host's layers
   * @param binder reads layers met for the first time
   * @param counters where to count
   * @param router chooses each request's variant
   * @param mergeMaxFloats largest weight (elements) the merged fast path takes; 0 turns it off
   */
  public ForwardApplier(
      EditRegistry registry,
      LayerCatalog catalog,
      HostBinder binder,
      HookCounters counters,
      VariantRouter router,
      long mergeMaxFloats) {
    this.registry = registry;
    this.counters = counters;
    this.router = router;
    this.discovery = new LayerDiscovery(registry, catalog, binder);
    this.mergedPath = new MergedPath(catalog, counters, mergeMaxFloats);
  }

  /** Largest weight, in elements, the merged fast path takes (0: off). */
  public long mergeMaxFloats() {
    return mergedPath.maxFloats();
  }

  /** Whether the merged fast path applies to a weight of HF shape {@code [in, out]}. */
  public boolean merges(long in, long out) {
    return mergedPath.takes(in, out);
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
    return discovery.discovering();
  }

  /**
   * Applies the edits of the request's pinned selection bound to {@code layer}; pins it first if
   * this is the request's first layer call.
   */
  public void onForward(RequestScope scope, Object layer, NDList inputs, NDList output) {
    FusedFactors factors = null;
    try {
      Selection selection = router.selectionOf(scope, registry);
      factors = apply(scope.snapshot(), selection, layer, inputs, output);
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
   * Before a {@code Linear}'s forward inside a host request: pins the request's selection if this
   * is its first layer call, then the merged fast path.
   *
   * @return the layer's output computed with the merged weight, or null to let the layer compute
   */
  public NDList onEnter(
      RequestScope scope, Object layer, ParameterStore store, NDList inputs, boolean training) {
    Selection selection;
    try {
      selection = router.selectionOf(scope, registry);
    } catch (Throwable t) {
      failed(t);
      return null;
    }
    return merged(selection, layer, store, inputs, training);
  }

  /**
   * Before a {@code Linear}'s forward outside any host request: the merged fast path with the
   * default selection of {@code snapshot}, once the host is ready (its first forward pass settles
   * bindings in {@link #onForward(Snapshot, Object, NDList, NDList)}).
   *
   * @return the layer's output computed with the merged weight, or null to let the layer compute
   */
  public NDList onEnter(
      Snapshot snapshot, Object layer, ParameterStore store, NDList inputs, boolean training) {
    if (snapshot.pendingWork() || !snapshot.hostReady()) {
      return null;
    }
    return merged(snapshot.active(), layer, store, inputs, training);
  }

  private NDList merged(
      Selection selection, Object layer, ParameterStore store, NDList inputs, boolean training) {
    NDList output = mergedPath.compute(selection, layer, store, inputs, training);
    if (output != null) {
      discovery.knownLayerCalled();
    }
    return output;
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
    Snapshot s = registry.settled(snapshot);
    Selection selection = pinned != null ? pinned : s.active();
    if (selection.isEmpty() && !discovery.wanted(registry.current())) {
      return null;
    }
    LayerDiscovery.Met met = discovery.meet(layer, s);
    if (met.first() && pinned == null) {
      selection = met.snapshot().active();
    }
    String fingerprint = met.state().fingerprint();
    FusedFactors factors = fingerprint == null ? null : selection.factorsFor(fingerprint);
    if (factors == null) {
      return null;
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
}
