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
  public static final Selection EMPTY = new Selection(Set.of(), Map.of(), Map.of());

  private final Set<String> editIds;
  private final Map<String, FusedFactors> byFingerprint;
  private final Map<String, MergeSlot> mergeSlots;

  private Selection(
      Set<String> editIds,
      Map<String, FusedFactors> byFingerprint,
      Map<String, MergeSlot> mergeSlots) {
    this.editIds = editIds;
    this.byFingerprint = byFingerprint;
    this.mergeSlots = mergeSlots;
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
    Map<String, MergeSlot> slots = new LinkedHashMap<>();
    for (Map.Entry<String, List<ParamDelta>> d : deltas.entrySet()) {
      String key = keys.get(d.getKey()).toString();
      FusedFactors old = reusable.get(key);
      FusedFactors f = old != null ? old : FusedFactors.fuse(key, d.getValue());
      fused.put(d.getKey(), f);
      slots.put(d.getKey(), f.mergeSlot());
    }
    return new Selection(
        Collections.unmodifiableSet(ids),
        Collections.unmodifiableMap(fused),
        Collections.unmodifiableMap(slots));
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

  /**
   * The slot for the merged weight of {@link #factorsFor} this fingerprint, or null. The selection
   * holds it, so a merged weight lives as long as some selection in use applies its factors.
   */
  public MergeSlot mergeSlotFor(String hostFingerprint) {
    return mergeSlots.get(hostFingerprint);
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
