package org.mend4j.agent.registry;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * The registry's state at one moment, immutable: every edit with its enabled flag and binding, the
 * variants, and the selections the forward hook applies (the default one and one per variant). A
 * request reads one snapshot and applies one of its selections to all its layer calls; control
 * operations build a new snapshot and swap it in.
 */
public final class Snapshot {

  /** The state before anything is registered: the hook does nothing. */
  public static final Snapshot EMPTY =
      new Snapshot(0, List.of(), Selection.EMPTY, Map.of(), Map.of(), false, false, false);

  private final long version;
  private final List<EditEntry> edits;
  private final Selection active;
  private final Map<String, Variant> variants;
  private final Map<String, Selection> variantSelections;
  private final boolean startupPending;
  private final boolean hostReady;
  private final boolean pendingWork;
  private final boolean hookActive;
  private final boolean unbound;
  private final boolean discoverUnbound;
  private final Set<Shape> editShapes;

  /** An HF weight shape {@code [in, out]}. */
  public record Shape(long in, long out) {}

  Snapshot(
      long version,
      List<EditEntry> edits,
      Selection active,
      Map<String, Variant> variants,
      Map<String, Selection> variantSelections,
      boolean startupPending,
      boolean hostReady,
      boolean lenient) {
    this.version = version;
    this.edits = List.copyOf(edits);
    this.active = active;
    this.variants = Collections.unmodifiableMap(new TreeMap<>(variants));
    this.variantSelections = Map.copyOf(variantSelections);
    this.startupPending = startupPending;
    this.hostReady = hostReady;
    this.unbound = this.edits.stream().anyMatch(e -> !e.binding().isBound());
    this.discoverUnbound =
        lenient && hostReady && this.edits.stream().anyMatch(e -> e.binding().isPending());
    this.pendingWork = startupPending || (!hostReady && !this.edits.isEmpty());
    this.hookActive =
        pendingWork
            || discoverUnbound
            || !active.isEmpty()
            || variantSelections.values().stream().anyMatch(s -> !s.isEmpty());
    Set<Shape> shapes = new HashSet<>();
    for (EditEntry e : this.edits) {
      for (ParamDelta p : e.edit().params()) {
        shapes.add(new Shape(p.in(), p.out()));
      }
    }
    this.editShapes = Set.copyOf(shapes);
  }

  /**
   * Whether the forward hook has anything to do: an edit some selection applies, binding work
   * waiting for the host's first forward pass, or pending edits waiting for layers the hook has not
   * met yet (attached agent). False is the hook's fast path.
   */
  public boolean hookActive() {
    return hookActive;
  }

  /** Whether edit files are still loading or edits wait for the host's first forward pass. */
  public boolean pendingWork() {
    return pendingWork;
  }

  /**
   * Whether some edit waits for host layers the hook has not met yet: the agent was attached to a
   * running JVM, so layers built before are learnt as they run.
   */
  public boolean discoverUnbound() {
    return discoverUnbound;
  }

  /** Whether some edit is not bound (pending or refused). */
  public boolean hasUnbound() {
    return unbound;
  }

  /** Whether the host has run a forward pass, so its layers are known. */
  public boolean hostReady() {
    return hostReady;
  }

  /** Whether edit files given at start are still being read. */
  public boolean startupPending() {
    return startupPending;
  }

  /** Increases with every change. */
  public long version() {
    return version;
  }

  /** Every registered edit, in registration order. */
  public List<EditEntry> edits() {
    return edits;
  }

  /** The edit with this id. */
  public Optional<EditEntry> edit(String id) {
    return edits.stream().filter(e -> e.id().equals(id)).findFirst();
  }

  /** The default selection: every enabled, bound edit. */
  public Selection active() {
    return active;
  }

  /** The variants by name, in name order. */
  public Map<String, Variant> variants() {
    return variants;
  }

  /**
   * The selection of a variant: its bound edits; the default selection for {@link Variant#DEFAULT}
   * or null; null for an unknown name.
   */
  public Selection selection(String variant) {
    if (variant == null || variant.equals(Variant.DEFAULT)) {
      return active;
    }
    return variantSelections.get(variant);
  }

  /**
   * The HF shapes of all registered edits' weights: host layers of other shapes are never hashed.
   */
  public Set<Shape> editShapes() {
    return editShapes;
  }
}
