package org.mend4j.agent.registry;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where an edit landed in the host: for each parameter it changes, the host weight it applies to.
 *
 * @param state whether the edit is bound, refused or still waiting for the host's layers
 * @param message why it is refused or pending (null when bound)
 * @param targets one per parameter of the edit when bound; empty otherwise
 */
public record Binding(State state, String message, List<Target> targets) {

  /** An edit's binding state. */
  public enum State {
    /** The host's layers are not known yet (before its first forward pass). */
    PENDING,
    /** Every parameter matched a host layer: the edit applies when enabled. */
    BOUND,
    /** Some parameter matched no host layer: the edit never applies. */
    REFUSED
  }

  /**
   * One parameter's destination.
   *
   * @param param the HF parameter name recorded in the edit
   * @param hostFingerprint the fingerprint of the host weight it applies to (the key the forward
   *     hook looks layers up by)
   * @param layers the host layers holding that weight, as block paths (for status and logs)
   * @param byName true if an explicit name mapping chose the layer, false if the fingerprint did
   */
  public record Target(String param, String hostFingerprint, List<String> layers, boolean byName) {
    /** Copies the list. */
    public Target {
      layers = List.copyOf(layers);
    }
  }

  /** Copies the list. */
  public Binding {
    targets = List.copyOf(targets);
  }

  /** Waiting for the host's layers. */
  public static Binding pending(String message) {
    return new Binding(State.PENDING, message, List.of());
  }

  /** Bound to the given targets. */
  public static Binding bound(List<Target> targets) {
    return new Binding(State.BOUND, null, targets);
  }

  /** Refused, with a message naming the parameter(s) that matched nothing. */
  public static Binding refused(String message) {
    return new Binding(State.REFUSED, message, List.of());
  }

  /**
   * One edit's binding over several copies of DJL in the JVM: bound if some copy binds it, each
   * parameter to the weight the first binding copy chose, with the layers of every copy that holds
   * that same weight; otherwise the first refusal, or else the first pending binding.
   *
   * @param perCopy the edit's binding in each copy, not empty
   */
  public static Binding merged(List<Binding> perCopy) {
    List<Binding> bound = perCopy.stream().filter(Binding::isBound).toList();
    if (bound.isEmpty()) {
      return perCopy.stream()
          .filter(b -> b.state == State.REFUSED)
          .findFirst()
          .orElse(perCopy.get(0));
    }
    if (bound.size() == 1) {
      return bound.get(0);
    }
    Map<String, Target> byParam = new LinkedHashMap<>();
    bound.get(0).targets().forEach(t -> byParam.put(t.param(), t));
    for (Binding b : bound.subList(1, bound.size())) {
      for (Target t : b.targets()) {
        Target first = byParam.get(t.param());
        if (first != null && first.hostFingerprint().equals(t.hostFingerprint())) {
          Set<String> layers = new LinkedHashSet<>(first.layers());
          layers.addAll(t.layers());
          byParam.put(
              t.param(),
              new Target(t.param(), t.hostFingerprint(), List.copyOf(layers), first.byName()));
        }
      }
    }
    return bound(List.copyOf(byParam.values()));
  }

  /** True if the edit applies to the host when enabled. */
  public boolean isBound() {
    return state == State.BOUND;
  }

  /** True if the edit waits for host layers. */
  public boolean isPending() {
    return state == State.PENDING;
  }
}
