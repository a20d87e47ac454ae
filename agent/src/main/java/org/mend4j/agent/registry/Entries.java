package org.mend4j.agent.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The registry's edits and variants as a value, with the changes the control plane makes to them:
 * each returns the changed copy (empty if there was nothing to change) and leaves this one as it
 * is, so that the registry composes and publishes a change whole or not at all. Variants are kept
 * consistent with the edits: a removed edit leaves every variant, and a variant lists only edits
 * that exist.
 *
 * @param edits the entries in registration order
 * @param variants the variants by name
 */
record Entries(List<EditEntry> edits, Map<String, Variant> variants) {

  /** Copies the collections (variants in name order). */
  Entries {
    edits = List.copyOf(edits);
    variants = java.util.Collections.unmodifiableMap(new TreeMap<>(variants));
  }

  /** The edits and variants of {@code snapshot}. */
  static Entries of(Snapshot snapshot) {
    return new Entries(snapshot.edits(), snapshot.variants());
  }

  /** {@code edits} with {@code variants}, each variant restricted to those edits. */
  static Entries restricted(List<EditEntry> edits, Map<String, Variant> variants) {
    List<String> ids = edits.stream().map(EditEntry::id).toList();
    Map<String, Variant> kept = new TreeMap<>();
    variants.forEach((name, v) -> kept.put(name, v.restrictedTo(ids)));
    return new Entries(edits, kept);
  }

  /** These entries and {@code entry} after them. */
  Entries adding(EditEntry entry) {
    List<EditEntry> next = new ArrayList<>(edits);
    next.add(entry);
    return new Entries(next, variants);
  }

  /** These entries with the edit {@code id} changed; empty if there is no such edit. */
  Optional<Entries> changing(String id, UnaryOperator<EditEntry> change) {
    List<EditEntry> next = new ArrayList<>(edits);
    for (int i = 0; i < next.size(); i++) {
      if (next.get(i).id().equals(id)) {
        next.set(i, change.apply(next.get(i)));
        return Optional.of(new Entries(next, variants));
      }
    }
    return Optional.empty();
  }

  /** These entries without the edit {@code id}, also in every variant; empty if there is none. */
  Optional<Entries> removing(String id) {
    List<EditEntry> next = new ArrayList<>(edits);
    if (!next.removeIf(e -> e.id().equals(id))) {
      return Optional.empty();
    }
    Map<String, Variant> kept = new TreeMap<>();
    variants.forEach((name, v) -> kept.put(name, v.without(id)));
    return Optional.of(new Entries(next, kept));
  }

  /**
   * These entries with {@code variant} defined or replaced.
   *
   * @throws IllegalArgumentException if it lists an edit that is not here, or the variants' traffic
   *     would exceed 100 percent
   */
  Entries withVariant(Variant variant) {
    variant.checkAmong(edits.stream().map(EditEntry::id).toList(), variants);
    Map<String, Variant> next = new TreeMap<>(variants);
    next.put(variant.name(), variant);
    return new Entries(edits, next);
  }

  /** These entries without the variant {@code name}; empty if there is none. */
  Optional<Entries> withoutVariant(String name) {
    if (!variants.containsKey(name)) {
      return Optional.empty();
    }
    Map<String, Variant> next = new TreeMap<>(variants);
    next.remove(name);
    return Optional.of(new Entries(edits, next));
  }
}
