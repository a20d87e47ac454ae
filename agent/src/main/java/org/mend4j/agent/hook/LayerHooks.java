package org.mend4j.agent.hook;

import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.concurrent.atomic.AtomicReference;
import org.mend4j.agent.djl.BlockTree;
import org.mend4j.agent.djl.ForwardApplier;
import org.mend4j.agent.djl.LayerCatalog;
import org.mend4j.agent.djl.ScriptModuleApplier;
import org.mend4j.agent.registry.Snapshot;

/**
 * The only code the instrumented host classes call: one public static method per advice.
 *
 * <p>The forward hook's fast path, outside a host request, is one volatile read ({@link #CURRENT})
 * and a return when no edit is active; inside one ({@link RequestScope}, opened by the HTTP handler
 * advice), a thread-local read and, from the request's second layer call on, a few field reads of
 * its pinned selection. A host without active edits runs exactly its own code.
 *
 * <p>{@link #install} runs in {@code premain} before any class is instrumented, and every host
 * thread that can reach a hook is started after that (or, on attach, synchronises with the
 * retransformation), so the plain static field is safely published.
 */
public final class LayerHooks {

  /** The registry's snapshots are published here. */
  public static final AtomicReference<Snapshot> CURRENT = new AtomicReference<>(Snapshot.EMPTY);

  /** Every instrumented layer instance the host builds or runs. */
  public static final LayerCatalog CATALOG = new LayerCatalog();

  /** The host's block tree, for layer paths. */
  public static final BlockTree TREE = new BlockTree();

  private static ForwardApplier applier;
  private static ScriptModuleApplier moduleApplier;

  private LayerHooks() {}

  /**
   * Sets the appliers; called once, before instrumentation is installed.
   *
   * @param forwardApplier edits DJL blocks' layer calls
   * @param scriptModuleApplier edits TorchScript modules in place, or null to leave them alone
   */
  public static void install(
      ForwardApplier forwardApplier, ScriptModuleApplier scriptModuleApplier) {
    applier = forwardApplier;
    moduleApplier = scriptModuleApplier;
  }

  /**
   * Before DJL loads a TorchScript module: whether to load its parameters as ordinary tensors
   * (DJL's {@code trainParam}), which libtorch lets the agent change in place; DJL's default,
   * inference tensors, cannot be. The module computes the same either way.
   *
   * @param requested what the host asked for
   * @return what DJL is to load with
   */
  public static boolean onModuleLoad(boolean requested) {
    return requested || moduleApplier != null;
  }

  /**
   * Before a TorchScript module's forward pass: waits, if needed, until its weights hold the edits
   * of the request's selection ({@link ScriptModuleApplier#enter}).
   *
   * @return what to hand to {@link #onModuleExit}, or null
   */
  public static Object onModuleEnter(Object module, boolean training) {
    ScriptModuleApplier m = moduleApplier;
    return m == null ? null : m.enter(RequestScope.current(), module, training);
  }

  /** After a TorchScript module's forward pass (also when it threw). */
  public static void onModuleExit(Object admitted) {
    ScriptModuleApplier.exit(admitted);
  }

  /**
   * Before a DJL {@code Linear}'s forward: the merged fast path ({@link ForwardApplier#onEnter}).
   * Null, the layer computing as it always does, unless the selection in use has edits on this
   * layer and the merge rule takes its weight; with no active edit this is a volatile read (and a
   * thread-local one inside a host request).
   *
   * @return the layer's output with the edits merged into its weight, or null
   */
  public static NDList onLinearEnter(
      Object layer, ParameterStore store, NDList inputs, boolean training) {
    ForwardApplier a = applier;
    if (a == null || a.mergeMaxFloats() == 0) {
      return null;
    }
    RequestScope scope = RequestScope.current();
    if (scope != null) {
      return a.onEnter(scope, layer, store, inputs, training);
    }
    Snapshot snapshot = CURRENT.get();
    return snapshot.hookActive() ? a.onEnter(snapshot, layer, store, inputs, training) : null;
  }

  /**
   * After a layer's forward: adds the selected edits bound to it to {@code output}'s first array.
   */
  public static void onForwardExit(Object layer, NDList inputs, NDList output) {
    ForwardApplier a = applier;
    if (a == null) {
      return;
    }
    RequestScope scope = RequestScope.current();
    if (scope != null) {
      a.onForward(scope, layer, inputs, output);
      return;
    }
    Snapshot snapshot = CURRENT.get();
    // the first layer call marks the host ready (its layers are built), edits or not
    if (snapshot.hookActive() || !snapshot.hostReady() || a.discovering()) {
      a.onForward(snapshot, layer, inputs, output);
    }
  }

  /** After a layer's constructor: records the instance (weakly). */
  public static void onLayerConstructed(Object layer) {
    CATALOG.track(layer);
  }

  /** After {@code AbstractBlock.addChildBlock}: records the child's name under its parent. */
  public static void onChildAdded(Object parent, String name, Object child) {
    TREE.record(parent, name, child);
  }
}
