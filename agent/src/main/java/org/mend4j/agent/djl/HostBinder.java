package org.mend4j.agent.djl;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.binding.NameMapping;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditBinder;
import org.mend4j.agent.registry.Snapshot.Shape;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditLimits;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * Binds edits to the live host: each parameter of an edit to the host layers whose weight has the
 * edit's recorded fingerprint, or, where the {@link NameMapping} names the parameter, to the layer
 * at the mapped path. Shapes are compared first, so a layer whose shape no edit has is never
 * hashed; a fingerprint is computed at most once per layer instance.
 *
 * <p>This class reads the host's layers and decides an edit's binding from its parameters' matches;
 * how one parameter matches the layers, and what a miss says, is {@link HostLayers}'.
 */
public final class HostBinder implements EditBinder {

  private final LayerCatalog catalog;
  private final BlockTree tree;
  private final Map<String, LayerSpec> specs;
  private final NameMapping mapping;

  /** The spec of a class or of its nearest configured superclass (subclasses of Linear too). */
  private final ClassValue<Optional<LayerSpec>> specOf =
      new ClassValue<>() {
        @Override
        protected Optional<LayerSpec> computeValue(Class<?> type) {
          for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            LayerSpec spec = specs.get(c.getName());
            if (spec != null) {
              return Optional.of(spec);
            }
          }
          return Optional.empty();
        }
      };

  /**
   * Creates a binder.
   *
   * @param catalog the host's layers
   * @param tree the host's block paths
   * @param specs how to read each instrumented class's weight, by class name
   * @param mapping explicit name mapping (may be {@link NameMapping#NONE})
   */
  public HostBinder(
      LayerCatalog catalog, BlockTree tree, Map<String, LayerSpec> specs, NameMapping mapping) {
    this.catalog = catalog;
    this.tree = tree;
    this.specs = Map.copyOf(specs);
    this.mapping = mapping;
  }

  /**
   * Reads a layer's weight shape, and its fingerprint if {@code wanted} has that shape.
   *
   * @return false if the layer has no weight yet (it stays unprepared)
   */
  public synchronized boolean prepare(Object layer, LayerState state, Set<Shape> wanted) {
    if (layer instanceof ModuleParameter parameter) {
      prepare(parameter.weight(), LayerSpec.Layout.IN_OUT, false, state, wanted);
      return true;
    }
    LayerSpec spec = specOf.get(layer.getClass()).orElse(null);
    if (spec == null) {
      state.prepared(null); // not a layer the agent knows how to read: never look again
      return true;
    }
    NDArray weight = HostWeights.weight(layer, spec);
    if (weight == null) {
      return false;
    }
    prepare(
        weight,
        spec.layout(),
        spec.weightParam().equals(LayerSpec.LINEAR.weightParam())
            && spec.layout() == LayerSpec.LINEAR.layout(),
        state,
        wanted);
    return true;
  }

  private static void prepare(
      NDArray weight,
      LayerSpec.Layout layout,
      boolean linear,
      LayerState state,
      Set<Shape> wanted) {
    if (!state.prepared()) {
      state.prepared(HostWeights.hfShape(weight, layout), linear);
    }
    if (state.shape() != null && state.fingerprint() == null && wanted.contains(state.shape())) {
      state.fingerprint(HostWeights.fingerprint(weight, layout), HostWeights.norm(weight));
    }
  }

  @Override
  public synchronized Map<String, Binding> bind(List<Edit> edits, boolean refuse) {
    Set<Shape> wanted = new HashSet<>();
    edits.forEach(e -> e.params().forEach(p -> wanted.add(new Shape(p.in(), p.out()))));
    HostLayers layers = new HostLayers(tree);
    for (Map.Entry<Object, LayerState> e : catalog.live()) {
      if (prepare(e.getKey(), e.getValue(), wanted) && e.getValue().shape() != null) {
        layers.add(e.getKey(), e.getValue());
      }
    }
    Map<String, Binding> bindings = new LinkedHashMap<>();
    for (Edit edit : edits) {
      bindings.put(edit.id(), bind(edit, layers, refuse));
    }
    return bindings;
  }

  private Binding bind(Edit edit, HostLayers layers, boolean refuse) {
    List<Binding.Target> targets = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> unsafe = new ArrayList<>();
    for (ParamDelta p : edit.params()) {
      String mapped = mapping.hostPath(p.name()).orElse(null);
      Binding.Target target =
          mapped != null ? layers.byName(p, mapped, problems) : layers.byFingerprint(p, problems);
      if (target != null) {
        targets.add(target);
        String problem = EditLimits.changeProblem(p, layers.weightNorm(target));
        if (problem != null) {
          unsafe.add(problem);
        }
      }
    }
    if (!unsafe.isEmpty()) {
      return Binding.refused(
          String.join("; ", unsafe) + ": not applied (a damaged or hostile edit)");
    }
    if (problems.isEmpty()) {
      return Binding.bound(targets);
    }
    String message = String.join("; ", problems);
    return refuse
        ? Binding.refused(message + "; the edit was computed for another model")
        : Binding.pending(message + " so far");
  }
}
