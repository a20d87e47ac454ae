package org.mend4j.agent.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mend4j.runtime.edit.EditComposition;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * A set of edits applied together, indexed for the forward hook: host weight fingerprint to the
 * composed factors of every selected edit bound to that weight.
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
   * The selection of {@code entries} (each must be bound), their changes composed per host weight
   * ({@link EditComposition}), reusing the factors in {@code reusable} (by {@link
   * FusedFactors#key()}) for a weight whose composition depends on the same edits as before.
   */
  static Selection of(List<EditEntry> entries, Map<String, FusedFactors> reusable) {
    if (entries.isEmpty()) {
      return EMPTY;
    }
    Set<String> ids = new LinkedHashSet<>();
    Map<String, Set<String>> weightsOf = new LinkedHashMap<>();
    Map<String, Integer> editsPerWeight = new LinkedHashMap<>();
    for (EditEntry e : entries) {
      ids.add(e.id());
      Set<String> weights = new LinkedHashSet<>();
      for (ParamDelta p : e.edit().params()) {
        weights.add(targetOf(e, p.name()));
      }
      weights.forEach(w -> editsPerWeight.merge(w, 1, Integer::sum));
      weightsOf.put(e.id(), weights);
    }
    Map<String, String> keys = new LinkedHashMap<>();
    editsPerWeight.keySet().forEach(w -> keys.put(w, keyOf(w, entries, weightsOf)));
    Map<String, FusedFactors> fused = new LinkedHashMap<>();
    keys.forEach(
        (w, key) -> {
          if (reusable.containsKey(key)) {
            fused.put(w, reusable.get(key));
          }
        });
    if (fused.size() < keys.size()) {
      Map<String, EditEntry> byId = new LinkedHashMap<>();
      entries.forEach(e -> byId.put(e.id(), e));
      EditComposition.compose(
              entries.stream().map(EditEntry::edit).toList(),
              (edit, p) -> targetOf(byId.get(edit.id()), p.name()),
              EditComposition.Mode.LEAST_SQUARES)
          .forEach(
              (w, c) ->
                  fused.computeIfAbsent(
                      w, k -> FusedFactors.of(keys.get(w), c, editsPerWeight.get(w))));
    }
    Map<String, MergeSlot> slots = new LinkedHashMap<>();
    fused.forEach((fingerprint, f) -> slots.put(fingerprint, f.mergeSlot()));
    return new Selection(
        Collections.unmodifiableSet(ids),
        Collections.unmodifiableMap(fused),
        Collections.unmodifiableMap(slots));
  }

  /**
   * What the composition of weight {@code w} depends on: the edits that change it and those that
   * share a weight with one of them (a later edit supersedes an earlier one's rows over the weights
   * both change), in order.
   */
  private static String keyOf(
      String w, List<EditEntry> entries, Map<String, Set<String>> weightsOf) {
    Set<String> touching = new LinkedHashSet<>();
    for (EditEntry e : entries) {
      if (weightsOf.get(e.id()).contains(w)) {
        touching.addAll(weightsOf.get(e.id()));
      }
    }
    StringBuilder key = new StringBuilder(w).append('|');
    for (EditEntry e : entries) {
      if (weightsOf.get(e.id()).stream().anyMatch(touching::contains)) {
        key.append(e.id()).append(';');
      }
    }
    return key.toString();
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
