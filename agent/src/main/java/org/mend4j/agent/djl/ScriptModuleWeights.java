package org.mend4j.agent.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.ModulePass;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.FusedFactors;
import org.mend4j.agent.registry.Selection;

/**
 * The weight matrices of one TorchScript module, changed in place: the module computes inside
 * libtorch, so edits cannot be added to a layer's output as for DJL blocks, only merged into the
 * module's own parameters ({@code W := W0 + dW}, the composed change of the selection a pass is
 * served with).
 *
 * <p>A module's weights are in one state at a time: per parameter, the factors merged into it, or
 * none. Every forward pass enters through a {@link WeightStateGate}, which switches the state only
 * when no pass is running, so no pass sees a half-changed module, and passes of different variants
 * take turns. A parameter's first change keeps a copy of its base value in an agent-owned manager
 * ({@link ModuleCopies}; its memory is reported in status), and every later state is computed from
 * that copy: going back to no edit restores the base weights bit for bit, and switching never
 * accumulates rounding. The last merged weights of each parameter are kept ({@value
 * ModuleCopies#MERGED_KEPT}; counted in status as merged weights), so that variants taking turns
 * cost one copy per weight.
 *
 * <p>Gated rows ({@link FusedFactors#gated()}) are merged as if open: a weight changed for every
 * input cannot gate by input, so on such hosts an edit also acts, slightly, on inputs its gate
 * would have closed.
 *
 * <p>If a change fails (a module loaded before the agent attached holds inference tensors, which
 * libtorch refuses to change), the base weights are put back, the module stays unedited from then
 * on, and the reason is logged once and shown in status.
 */
final class ScriptModuleWeights implements ModulePass {

  private final List<ModuleParameter> parameters;
  private final List<LayerState> states;
  private final List<FusedFactors> base;
  private final FusedFactors[] applied;
  private final ModuleCopies copies;
  private final WeightStateGate gate;
  private final HookCounters counters;
  private volatile String failure;

  private ScriptModuleWeights(
      List<ModuleParameter> parameters, List<LayerState> states, HookCounters counters) {
    this.parameters = parameters;
    this.states = states;
    this.base = Collections.nCopies(parameters.size(), null);
    this.applied = new FusedFactors[parameters.size()];
    this.copies = new ModuleCopies(parameters, counters);
    this.gate = new WeightStateGate(base);
    this.counters = counters;
  }

  /**
   * Reads a module's float32 weight matrices and records each in the catalog, where binding finds
   * them.
   */
  static ScriptModuleWeights of(Block module, LayerCatalog catalog, HookCounters counters) {
    List<ModuleParameter> parameters = new ArrayList<>();
    List<LayerState> states = new ArrayList<>();
    for (Pair<String, Parameter> p : module.getDirectParameters()) {
      NDArray array = p.getValue().isInitialized() ? p.getValue().getArray() : null;
      if (array != null
          && array.getShape().dimension() == 2
          && array.getDataType() == DataType.FLOAT32) {
        ModuleParameter parameter = new ModuleParameter(p.getKey(), array);
        parameters.add(parameter);
        states.add(catalog.track(parameter));
      }
    }
    return new ScriptModuleWeights(List.copyOf(parameters), List.copyOf(states), counters);
  }

  /** The module's weight matrices, as the catalog holds them. */
  List<ModuleParameter> parameters() {
    return parameters;
  }

  /**
   * Admits a forward pass with the weights in the state {@code selection} needs, switching them
   * first if needed; every admitted pass must {@link #exit}.
   *
   * @return whether the pass runs with at least one edit merged in
   */
  boolean enter(Selection selection) {
    return gate.enter(stateFor(selection), this::switchTo) != base;
  }

  /** Admits a forward pass with the weights in whatever state they are (when choosing failed). */
  void enterAsTheyAre() {
    gate.enterAny();
  }

  /** Ends an admitted pass. */
  @Override
  public void end() {
    gate.exit();
  }

  /** Per parameter, the factors {@code selection} has for its weight (the base state if none). */
  private List<FusedFactors> stateFor(Selection selection) {
    if (failure != null || selection.isEmpty()) {
      return base;
    }
    FusedFactors[] wanted = new FusedFactors[parameters.size()];
    boolean any = false;
    for (int i = 0; i < wanted.length; i++) {
      String fingerprint = states.get(i).fingerprint();
      wanted[i] = fingerprint == null ? null : selection.factorsFor(fingerprint);
      any |= wanted[i] != null;
    }
    return any ? Arrays.asList(wanted) : base;
  }

  /** Called by the gate with no pass running; returns the state the weights are in after. */
  private Object switchTo(Object state) {
    @SuppressWarnings("unchecked")
    List<FusedFactors> wanted = (List<FusedFactors>) state;
    long start = System.nanoTime();
    NDArray[] next = new NDArray[parameters.size()];
    try {
      for (int i = 0; i < next.length; i++) {
        if (wanted.get(i) != applied[i]) {
          copies.keepBase(i);
        }
      }
      for (int i = 0; i < next.length; i++) {
        FusedFactors f = wanted.get(i);
        if (f != applied[i]) {
          next[i] = f == null ? copies.base(i) : copies.merged(i, f);
        }
      }
      for (int i = 0; i < next.length; i++) {
        if (next[i] != null) {
          ModuleCopies.write(next[i], parameters.get(i).weight());
          applied[i] = wanted.get(i);
        }
      }
      counters.moduleSwitched(System.nanoTime() - start);
      return wanted;
    } catch (RuntimeException e) {
      restoreBase(e);
      return base;
    }
  }

  private void restoreBase(RuntimeException cause) {
    failure =
        "its parameters cannot be changed in place ("
            + firstLine(cause)
            + "); a module loaded before the agent attached holds inference tensors: start the"
            + " service with -javaagent";
    counters.suppressed();
    counters.moduleFailed(failure);
    for (int i = 0; i < applied.length; i++) {
      if (copies.base(i) != null) {
        try {
          ModuleCopies.write(copies.base(i), parameters.get(i).weight());
          applied[i] = null;
        } catch (RuntimeException e) {
          cause.addSuppressed(e);
        }
      }
    }
    copies.freeMerged();
    AgentLog.error("a TorchScript module is left unedited: " + failure, cause);
  }

  private static String firstLine(Throwable t) {
    String message = String.valueOf(t.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
