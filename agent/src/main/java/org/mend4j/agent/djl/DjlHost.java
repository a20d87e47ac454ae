package org.mend4j.agent.djl;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.mend4j.agent.hook.CopySettings;
import org.mend4j.agent.hook.DjlCopies;
import org.mend4j.agent.hook.DjlCopy;
import org.mend4j.agent.hook.ModulePass;
import org.mend4j.agent.hook.RequestScope;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.runtime.edit.Edit;

/**
 * One copy of DJL in the JVM, built by the agent when it first meets an object of it: this copy's
 * layers ({@link LayerCatalog}, {@link BlockTree}), the binding of edits to them ({@link
 * HostBinder}), and the appliers for its layer calls ({@link ForwardApplier}) and TorchScript
 * modules ({@link ScriptModuleApplier}). Its class is defined beside that copy, so the casts below
 * are to that copy's DJL types.
 */
public final class DjlHost implements DjlCopy {

  private final String name;
  private final LayerCatalog catalog = new LayerCatalog();
  private final BlockTree tree = new BlockTree();
  private final HostBinder binder;
  private final ForwardApplier layers;
  private final ScriptModuleApplier modules;

  /**
   * Creates the copy's side of the agent.
   *
   * @param settings the JVM's registry, counters and router, and the configuration
   * @param copies every copy of DJL in the JVM
   */
  public DjlHost(CopySettings settings, DjlCopies copies) {
    DeviceFactors.releaseJavaCopiesWhile(copies::sole);
    ClassLoader djl = Block.class.getClassLoader();
    this.name =
        (djl.getName() != null ? djl.getName() : djl.getClass().getName())
            + "@"
            + Integer.toHexString(System.identityHashCode(djl));
    this.binder = new HostBinder(catalog, tree, settings.specs(), settings.mapping());
    this.layers =
        new ForwardApplier(
            settings.registry(),
            catalog,
            binder,
            settings.counters(),
            settings.router(),
            settings.mergeMaxFloats());
    this.modules =
        settings.torchScript()
            ? new ScriptModuleApplier(
                settings.registry(), catalog, binder, settings.counters(), settings.router())
            : null;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, Binding> bind(List<Edit> edits, boolean refuse) {
    return binder.bind(edits, refuse);
  }

  @Override
  public void layerConstructed(Object layer) {
    catalog.track(layer);
  }

  @Override
  public void childAdded(Object parent, String childName, Object child) {
    tree.record(parent, childName, child);
  }

  @Override
  public boolean merges() {
    return layers.mergeMaxFloats() > 0;
  }

  @Override
  public boolean discovering() {
    return layers.discovering();
  }

  @Override
  public Object linearEnter(
      RequestScope scope,
      Snapshot snapshot,
      Object layer,
      Object parameterStore,
      Object inputs,
      boolean training) {
    ParameterStore store = (ParameterStore) parameterStore;
    NDList x = (NDList) inputs;
    return scope != null
        ? layers.onEnter(scope, layer, store, x, training)
        : layers.onEnter(snapshot, layer, store, x, training);
  }

  @Override
  public void forwardExit(
      RequestScope scope, Snapshot snapshot, Object layer, Object inputs, Object output) {
    if (scope != null) {
      layers.onForward(scope, layer, (NDList) inputs, (NDList) output);
    } else {
      layers.onForward(snapshot, layer, (NDList) inputs, (NDList) output);
    }
  }

  @Override
  public ModulePass moduleEnter(RequestScope scope, Object module, boolean training) {
    return modules == null ? null : modules.enter(scope, module, training);
  }

  @Override
  public List<Object> parameterArrays() {
    return HostParameters.arrays(catalog, tree);
  }

  @Override
  public int layers() {
    return catalog.size();
  }

  @Override
  public int editedLayers(Snapshot snapshot) {
    int edited = 0;
    for (Map.Entry<Object, LayerState> e : catalog.live()) {
      String fingerprint = e.getValue().fingerprint();
      if (fingerprint != null && snapshot.active().factorsFor(fingerprint) != null) {
        edited++;
      }
    }
    return edited;
  }
}
