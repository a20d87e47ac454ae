package org.mend4j.agent.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.registry.FusedFactors;

/**
 * The agent's copies of a TorchScript module's weights, in one agent-owned manager: each
 * parameter's base value, copied on its first change, and its merged weights {@code W0 + dW} kept
 * for the {@value #MERGED_KEPT} factors used last on it, so that variants taking turns (or an edit
 * toggled back) cost one copy per weight, not a product. Every copy is counted in status as it
 * comes and goes. Not thread-safe: {@link ScriptModuleWeights} uses it with no pass running.
 */
final class ModuleCopies {

  /** Merged weights kept per parameter (besides its base copy), least recently used first out. */
  static final int MERGED_KEPT = 2;

  private static final NDIndex ALL = new NDIndex("...");

  private final List<ModuleParameter> parameters;
  private final NDArray[] base;
  private final List<Map<FusedFactors, NDArray>> merged = new ArrayList<>();
  private final HookCounters counters;
  private NDManager manager;

  ModuleCopies(List<ModuleParameter> parameters, HookCounters counters) {
    this.parameters = parameters;
    this.base = new NDArray[parameters.size()];
    for (int i = 0; i < parameters.size(); i++) {
      merged.add(new LinkedHashMap<>(4, 0.75f, true));
    }
    this.counters = counters;
  }

  /**
   * Copies parameter i's base value on its first change, and writes the copy back into the
   * parameter: the values it already holds, so that a parameter libtorch refuses to change (an
   * inference tensor, which it may still partly write before refusing) fails here, unchanged.
   */
  void keepBase(int i) {
    if (base[i] == null) {
      NDArray weight = parameters.get(i).weight();
      NDArray copy = weight.duplicate();
      copy.attach(manager());
      base[i] = copy;
      counters.baseCopied(weight.size());
      write(copy, weight);
    }
  }

  /** Parameter i's base value, or null before its first change. */
  NDArray base(int i) {
    return base[i];
  }

  /** {@code W0 + dW} of parameter i for factors f, after {@link #keepBase}. */
  NDArray merged(int i, FusedFactors f) {
    Map<FusedFactors, NDArray> kept = merged.get(i);
    NDArray m = kept.get(f);
    if (m == null) {
      m = DeviceFactors.of(f, base[i]).addedTo(base[i], manager());
      counters.mergedWeightCreated(m.size());
      kept.put(f, m);
      if (kept.size() > MERGED_KEPT) {
        Map.Entry<FusedFactors, NDArray> eldest = kept.entrySet().iterator().next();
        counters.mergedWeightFreed(eldest.getValue().size());
        eldest.getValue().close();
        kept.remove(eldest.getKey());
      }
    }
    return m;
  }

  /** Frees every merged weight (the module stays unedited from now on). */
  void freeMerged() {
    for (Map<FusedFactors, NDArray> kept : merged) {
      kept.values()
          .forEach(
              m -> {
                counters.mergedWeightFreed(m.size());
                m.close();
              });
      kept.clear();
    }
  }

  /**
   * Writes {@code value} into {@code weight} in place, one native copy ({@code NDArray.copyTo}
   * would round-trip through a Java buffer: 40 times slower on a GPT-2-small weight).
   */
  static void write(NDArray value, NDArray weight) {
    weight.set(ALL, value);
  }

  private NDManager manager() {
    if (manager == null) {
      manager = DeviceFactors.root(parameters.get(0).weight()).newSubManager();
    }
    return manager;
  }
}
