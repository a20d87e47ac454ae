package org.mend4j.agent.hook;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.mend4j.agent.binding.HostBinder;
import org.mend4j.agent.binding.LayerCatalog;
import org.mend4j.agent.binding.LayerState;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.FusedFactors;
import org.mend4j.agent.registry.MergeSlot;
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
 * <p><b>Merged fast path.</b> Before a DJL {@code Linear} computes ({@link #onEnter}), if the
 * request's selection has edits for its weight and the weight has at most {@link #mergeMaxFloats()}
 * elements, the hook computes the layer itself, once, with the merged weight {@code W + dW^T}
 * ({@link MergedWeight}, made once per weight and set of edits, in an agent-owned manager) and the
 * layer's own bias, and the layer's code is skipped: on small layers DJL's per-operation overhead
 * (about 10 us per call for the factored path's two products and an addition, against a 40 us
 * layer) is what an edit costs, and the merged path pays none of it. The rule, weight size only, is
 * a memory bound: a merged weight takes {@code in * out} floats per selection in use, against
 * {@code N (in + out)} for the factors. Without an edit on the layer nothing changes: the layer
 * runs its own code on its own weight.
 *
 * <p>Fail-open: any {@link Throwable} is counted, the first one logged, and the host's output left
 * exactly as the layer computed it (the output list is changed only by the last statement). A
 * failure in the merged fast path makes the layer run its own code, followed by the factored path
 * (so the edits still apply), and keeps that layer on the factored path from then on.
 */
public final class ForwardApplier {

  /** Layer calls in a row without a new layer after which an attached agent knows them all. */
  static final int QUIET_CALLS = 2000;

  /**
   * Default largest weight, in elements, that the merged fast path takes: 2^20 (4 MiB per merged
   * copy). It covers every weight of the shipped world model (192 x 768 = 147,456) and of
   * GPT-2-small-sized attention outputs (768 x 768), not GPT-2 small's MLP weights (768 x 3072 =
   * 2.4 M, 9 MiB a copy) where the factored path already costs under 2 % of a generation step.
   */
  public static final long DEFAULT_MERGE_MAX_FLOATS = 1L << 20;

  /** Test-only fault injection. */
  public enum Fault {
    /** None. */
    NONE,
    /** Every path that would apply an edit throws (factored and merged). */
    HOOK,
    /** Only the merged fast path throws. */
    MERGE
  }

  private final EditRegistry registry;
  private final LayerCatalog catalog;
  private final HostBinder binder;
  private final HookCounters counters;
  private final VariantRouter router;
  private final Fault fault;
  private final long mergeMaxFloats;
  private final AtomicBoolean errorLogged = new AtomicBoolean();
  private final AtomicBoolean mergeErrorLogged = new AtomicBoolean();
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
    this(
        registry,
        catalog,
        binder,
        counters,
        router,
        injectFault ? Fault.HOOK : Fault.NONE,
        DEFAULT_MERGE_MAX_FLOATS);
  }

  /**
   * Creates the applier.
   *
   * @param registry the edits
   * @param catalog the host's layers
   * @param binder reads layers met for the first time
   * @param counters where to count
   * @param router chooses each request's variant
   * @param fault test-only fault injection
   * @param mergeMaxFloats largest weight (elements) the merged fast path takes; 0 turns it off
   */
  public ForwardApplier(
      EditRegistry registry,
      LayerCatalog catalog,
      HostBinder binder,
      HookCounters counters,
      VariantRouter router,
      Fault fault,
      long mergeMaxFloats) {
    this.registry = registry;
    this.catalog = catalog;
    this.binder = binder;
    this.counters = counters;
    this.router = router;
    this.fault = fault;
    this.mergeMaxFloats = Math.max(0, mergeMaxFloats);
    this.discovering = registry.attached();
  }

  /** Largest weight, in elements, the merged fast path takes (0: off). */
  public long mergeMaxFloats() {
    return mergeMaxFloats;
  }

  /** Whether the merged fast path applies to a weight of HF shape {@code [in, out]}. */
  public boolean merges(long in, long out) {
    return in * out <= mergeMaxFloats;
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
        router.pin(scope, registry.settled(registry.current()));
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
   * Before a {@code Linear}'s forward inside a host request: pins the request's selection if this
   * is its first layer call, then {@link #merged the merged fast path}.
   *
   * @return the layer's output computed with the merged weight, or null to let the layer compute
   */
  public NDList onEnter(
      RequestScope scope, Object layer, ParameterStore store, NDList inputs, boolean training) {
    try {
      if (!scope.pinned()) {
        router.pin(scope, registry.settled(registry.current()));
      }
    } catch (Throwable t) {
      failed(t);
      return null;
    }
    return merged(scope.selection(), layer, store, inputs, training);
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

  /**
   * The merged fast path: if {@code selection} has edits for {@code layer}'s weight and the rule
   * takes it, {@code Linear.linear(x, W + dW^T, b)} exactly as {@code Linear.forwardInternal}
   * computes {@code Linear.linear(x, W, b)}, with the same bias from the same parameter store, the
   * result in {@code x}'s manager. Null (the layer computes, then the factored path) in every other
   * case, and on any failure (counted; the layer keeps to the factored path from then on).
   */
  private NDList merged(
      Selection selection, Object layer, ParameterStore store, NDList inputs, boolean training) {
    if (mergeMaxFloats == 0 || training || selection.isEmpty()) {
      return null;
    }
    LayerState state = catalog.get(layer);
    if (state == null || !state.prepared() || !state.linearLayout() || state.mergeFailed()) {
      return null; // unseen layers go through the exit hook first (binding, discovery)
    }
    String fingerprint = state.fingerprint();
    FusedFactors factors = fingerprint == null ? null : selection.factorsFor(fingerprint);
    if (factors == null || factors.gated() || !merges(factors.in(), factors.out())) {
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
      if (fault != Fault.NONE) {
        throw new IllegalStateException("fault injected by mend4j.test.fault=" + fault);
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
      if (discovering) {
        quietCalls.incrementAndGet();
      }
      return output;
    } catch (Throwable t) {
      state.markMergeFailed();
      counters.suppressed();
      if (mergeErrorLogged.compareAndSet(false, true)) {
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
    if (fault == Fault.HOOK) {
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
