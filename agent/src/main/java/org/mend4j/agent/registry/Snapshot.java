package org.mend4j.agent.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * The registry's state at one moment, immutable: every edit with its enabled flag and binding, and
 * the selection the forward hook applies. The hook reads one snapshot per call; control operations
 * build a new snapshot and swap it in.
 */
public final class Snapshot {

  /** The state before anything is registered: the hook does nothing. */
  public static final Snapshot EMPTY = new Snapshot(0, List.of(), Selection.EMPTY, false, false);

  private final long version;
  private final List<EditEntry> edits;
  private final Selection active;
  private final boolean startupPending;
  private final boolean hostReady;
  private final boolean pendingWork;
  private final boolean hookActive;
  private final boolean unbound;
  private final Set<Shape> editShapes;

  /** An HF weight shape {@code [in, out]}. */
  public record Shape(long in, long out) {}

  Snapshot(
      long version,
      List<EditEntry> edits,
      Selection active,
      boolean startupPending,
      boolean hostReady) {
    this.version = version;
    this.edits = List.copyOf(edits);
    this.active = active;
    this.startupPending = startupPending;
    this.hostReady = hostReady;
    this.unbound = this.edits.stream().anyMatch(e -> !e.binding().isBound());
    this.pendingWork = startupPending || (!hostReady && !this.edits.isEmpty());
    this.hookActive = pendingWork || !active.isEmpty();
    Set<Shape> shapes = new HashSet<>();
    for (EditEntry e : this.edits) {
      for (ParamDelta p : e.edit().params()) {
        shapes.add(new Shape(p.in(), p.out()));
      }
    }
    this.editShapes = Set.copyOf(shapes);
  }

  /**
   * Whether the forward hook has anything to do: an active edit, or binding work waiting for the
   * host's first forward pass. False is the hook's fast path.
   */
  public boolean hookActive() {
    return hookActive;
  }

  /** Whether edit files are still loading or edits wait for the host's first forward pass. */
  public boolean pendingWork() {
    return pendingWork;
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

  /**
   * The HF shapes of all registered edits' weights: host layers of other shapes are never hashed.
   */
  public Set<Shape> editShapes() {
    return editShapes;
  }
}
