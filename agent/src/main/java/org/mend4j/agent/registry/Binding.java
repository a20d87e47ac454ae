package org.mend4j.agent.registry;

import java.util.List;

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

  /** True if the edit applies to the host when enabled. */
  public boolean isBound() {
    return state == State.BOUND;
  }

  /** True if the edit waits for host layers. */
  public boolean isPending() {
    return state == State.PENDING;
  }
}
