package org.mend4j.agent.registry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds each new {@link Snapshot} from the registry's edits and variants, composing the default
 * selection and one per variant, and publishes it in the one {@link AtomicReference} the forward
 * hook reads. Composition reuses the factors of the selections in use and of the last {@value
 * #RECENT_FACTORS} composed (by {@link FusedFactors#key()}), so that toggling an edit back reuses
 * its engine copy rather than making a new one.
 *
 * <p>Not thread-safe: the registry calls it under its lock.
 */
final class SnapshotPublisher {

  private static final int RECENT_FACTORS = 64;

  private final AtomicReference<Snapshot> current;
  private final boolean attached;

  /** Stacked factors of recent selections, least recently used first out. */
  private final Map<String, FusedFactors> recent =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FusedFactors> eldest) {
          return size() > RECENT_FACTORS;
        }
      };

  /** Publishes {@link Snapshot#EMPTY} in {@code current}. */
  SnapshotPublisher(AtomicReference<Snapshot> current, boolean attached) {
    this.current = current;
    this.attached = attached;
    current.set(Snapshot.EMPTY);
  }

  /** The snapshot published last. */
  Snapshot current() {
    return current.get();
  }

  /**
   * Publishes the snapshot of {@code entries}.
   *
   * @param startupPending whether edit files given at start are still being read
   * @param hostReady whether the host has run its first forward pass
   */
  void publish(Entries entries, boolean startupPending, boolean hostReady) {
    publish(entries, startupPending, hostReady, true);
  }

  /**
   * Publishes the current edits and variants again with every selection's factors composed anew,
   * reusing none: a new copy of DJL has appeared, and the factors in use may have dropped the Java
   * copies it needs for its own engine copy.
   */
  void recompose(boolean startupPending, boolean hostReady) {
    recent.clear();
    publish(Entries.of(current()), startupPending, hostReady, false);
  }

  private void publish(Entries entries, boolean startupPending, boolean hostReady, boolean reuse) {
    List<EditEntry> edits = entries.edits();
    Snapshot previous = current();
    Map<String, FusedFactors> reusable = new HashMap<>(recent);
    if (reuse) {
      remember(previous.active(), reusable);
      previous.variants().keySet().forEach(name -> remember(previous.selection(name), reusable));
    }
    Selection active = Selection.of(edits.stream().filter(EditEntry::active).toList(), reusable);
    Map<String, Selection> selections = new HashMap<>();
    for (Variant v : entries.variants().values()) {
      List<EditEntry> chosen =
          edits.stream()
              .filter(e -> e.binding().isBound() && v.editIds().contains(e.id()))
              .toList();
      selections.put(v.name(), Selection.of(chosen, reusable));
    }
    remember(active, recent);
    selections.values().forEach(s -> remember(s, recent));
    current.set(
        new Snapshot(
            previous.version() + 1,
            edits,
            active,
            entries.variants(),
            selections,
            startupPending,
            hostReady,
            attached));
  }

  private static void remember(Selection selection, Map<String, FusedFactors> into) {
    if (selection != null) {
      selection.byFingerprint().values().forEach(f -> into.put(f.key(), f));
    }
  }
}
