package org.mend4j.agent.djl;

import ai.djl.nn.Block;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.ModulePass;
import org.mend4j.agent.hook.RequestScope;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.internal.WeakIdentityMap;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Selection;
import org.mend4j.agent.registry.Snapshot;

/**
 * What the hook does around a TorchScript module's forward pass ({@code PtSymbolBlock}): on the
 * module's first pass, learns its weight matrices and binds waiting edits to them; on every pass,
 * chooses the selection (pinned per host request like layer calls, see {@link VariantRouter}) and
 * admits the pass through the module's {@link ScriptModuleWeights}, which changes the weights in
 * place when the selection's edits differ from those merged in.
 *
 * <p>Fail-open: a failure before the pass is admitted is counted and logged once, and the pass runs
 * with the weights as they are (still admitted, so no change can start under it).
 */
public final class ScriptModuleApplier {

  private final EditRegistry registry;
  private final LayerCatalog catalog;
  private final HostBinder binder;
  private final HookCounters counters;
  private final VariantRouter router;
  private final WeakIdentityMap<Object, ScriptModuleWeights> modules = new WeakIdentityMap<>();
  private final AtomicBoolean errorLogged = new AtomicBoolean();

  /**
   * Creates the applier.
   *
   * @param registry the edits
   * @param catalog where the modules' weights are recorded for binding
   * @param binder reads weights met for the first time
   * @param counters where to count
   * @param router chooses each request's variant
   */
  public ScriptModuleApplier(
      EditRegistry registry,
      LayerCatalog catalog,
      HostBinder binder,
      HookCounters counters,
      VariantRouter router) {
    this.registry = registry;
    this.catalog = catalog;
    this.binder = binder;
    this.counters = counters;
    this.router = router;
  }

  /**
   * Before a module's forward pass: admits it with the weights its request's selection needs.
   *
   * @param scope the host request on this thread, or null
   * @param module the {@code PtSymbolBlock}
   * @param training whether the host trains (then the module is left alone: null)
   * @return the admitted pass, to end after the forward, or null if the pass was not admitted
   */
  public ModulePass enter(RequestScope scope, Object module, boolean training) {
    if (training || !(module instanceof Block block)) {
      return null;
    }
    ScriptModuleWeights weights = null;
    try {
      weights = modules.computeIfAbsent(module, m -> firstSight(block));
      Selection selection =
          scope != null
              ? router.selectionOf(scope, registry)
              : registry.settled(registry.current()).active();
      if (weights.enter(selection)) {
        counters.applied(selection.editIds().size());
      }
      return weights;
    } catch (Throwable t) {
      failed(t);
      if (weights == null) {
        return null;
      }
      weights.enterAsTheyAre();
      return weights;
    }
  }

  private ScriptModuleWeights firstSight(Block module) {
    ScriptModuleWeights weights = ScriptModuleWeights.of(module, catalog, counters);
    Snapshot now = registry.current();
    boolean wanted = false;
    for (ModuleParameter p : weights.parameters()) {
      LayerState state = catalog.get(p);
      binder.prepare(p, state, now.editShapes());
      wanted |= now.editShapes().contains(state.shape());
    }
    if (now.hostReady() && now.hasUnbound() && wanted) {
      registry.rebindUnbound();
    }
    counters.scriptModuleMet();
    AgentLog.info(
        "TorchScript module met: "
            + weights.parameters().size()
            + " weight matrices, edited in place");
    return weights;
  }

  private void failed(Throwable t) {
    counters.suppressed();
    if (errorLogged.compareAndSet(false, true)) {
      AgentLog.error(
          "the TorchScript hook failed; the module runs with its weights as they are (logged"
              + " once, counted as suppressed errors)",
          t);
    }
  }
}
