package org.mend4j.agent.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * A set of edits applied together, indexed for the forward hook: host weight fingerprint to the
 * stacked factors of every selected edit bound to that weight.
 *
 * <p>A snapshot has one selection per variant: the default (every enabled edit) and one per {@link
 * Variant}; a request pins one of them and the hook reads it for all its layer calls.
 */
public final class Selection {

  /** No edit. */
  public static final Selection EMPTY = new Selection(Set.of(), Map.of());

  private final Set<String> editIds;
  private final Map<String, FusedFactors> byFingerprint;

  private Selection(Set<String> editIds, Map<String, FusedFactors> byFingerprint) {
    this.editIds = editIds;
    this.byFingerprint = byFingerprint;
  }

  /**
   * The selection of {@code entries} (each must be bound), reusing stacked factors from {@code
   * reusable} (by {@link FusedFactors#key()}) where the contributions to a weight are the same.
   */
  static Selection of(List<EditEntry> entries, Map<String, FusedFactors> reusable) {
    if (entries.isEmpty()) {
      return EMPTY;
    }
    Map<String, List<ParamDelta>> deltas = new LinkedHashMap<>();
    Map<String, StringBuilder> keys = new LinkedHashMap<>();
    Set<String> ids = new LinkedHashSet<>();
    for (EditEntry e : entries) {
      ids.add(e.id());
      for (ParamDelta p : e.edit().params()) {
        String fingerprint = targetOf(e, p.name());
        deltas.computeIfAbsent(fingerprint, k -> new ArrayList<>()).add(p);
        keys.computeIfAbsent(fingerprint, k -> new StringBuilder(k).append('|'))
            .append(e.id())
            .append('/')
            .append(p.name())
            .append(';');
      }
    }
    Map<String, FusedFactors> fused = new LinkedHashMap<>();
    for (Map.Entry<String, List<ParamDelta>> d : deltas.entrySet()) {
      String key = keys.get(d.getKey()).toString();
      FusedFactors old = reusable.get(key);
      fused.put(d.getKey(), old != null ? old : FusedFactors.fuse(key, d.getValue()));
    }
    return new Selection(Collections.unmodifiableSet(ids), Collections.unmodifiableMap(fused));
  }

  private static String targetOf(EditEntry e, String param) {
    for (Binding.Target t : e.binding().targets()) {
      if (t.param().equals(param)) {
        return t.hostFingerprint();
      }
    }
    throw new IllegalStateException("edit " + e.id() + " has no target for '" + param + "'");
  }

  /** The stacked factors for the host weight with this fingerprint, or null. */
  public FusedFactors factorsFor(String hostFingerprint) {
    return byFingerprint.get(hostFingerprint);
  }

  /** Ids of the selected edits. */
  public Set<String> editIds() {
    return editIds;
  }

  /** The stacked factors by host weight fingerprint. */
  public Map<String, FusedFactors> byFingerprint() {
    return byFingerprint;
  }

  /** True if nothing is selected. */
  public boolean isEmpty() {
    return byFingerprint.isEmpty();
  }
}
