package org.mend4j.agent.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.runtime.edit.Edit;

/**
 * The edits the agent knows, as an immutable {@link Snapshot} behind one {@link AtomicReference}.
 * Every change (add, enable, disable, remove, binding) runs under this object's lock, builds a new
 * snapshot and swaps it in; readers never lock.
 *
 * <p>Binding follows the host's life: edits registered before the host's first forward pass stay
 * {@link Binding.State#PENDING}; the first forward pass {@link #settle settles} them against every
 * layer the host has built, and from then on edits bind as they are added. When {@code
 * refuseUnmatched} (the agent started with the JVM and saw every layer being built), an edit with a
 * parameter that matches no host layer is refused; otherwise (attached later) it stays pending and
 * is retried as the hook meets new layers.
 */
public final class EditRegistry {

  private static final long STARTUP_WAIT_SECONDS = 120;

  private final AtomicReference<Snapshot> current;
  private final EditBinder binder;
  private final boolean refuseUnmatched;
  private volatile CountDownLatch startup = new CountDownLatch(0);
  private boolean startupPending;
  private boolean hostReady;

  /**
   * Creates an empty registry.
   *
   * @param current where snapshots are published (the forward hook reads it)
   * @param binder binds edits to the host's layers
   * @param refuseUnmatched whether unmatched edits are refused once the host is ready
   */
  public EditRegistry(
      AtomicReference<Snapshot> current, EditBinder binder, boolean refuseUnmatched) {
    this.current = current;
    this.binder = binder;
    this.refuseUnmatched = refuseUnmatched;
    current.set(Snapshot.EMPTY);
  }

  /** The current snapshot. */
  public Snapshot current() {
    return current.get();
  }

  /** Marks that edit files are being read: the first forward pass will wait for them. */
  public synchronized void beginStartupLoad() {
    startup = new CountDownLatch(1);
    startupPending = true;
    publish(current().edits());
  }

  /** Marks the start-up load done (also after a failure), releasing a waiting forward pass. */
  public void finishStartupLoad() {
    synchronized (this) {
      startupPending = false;
      publish(current().edits());
    }
    startup.countDown();
  }

  /**
   * Registers an edit; it is bound at once if the host is ready.
   *
   * @param edit the edit
   * @param enabled whether it starts enabled
   * @param source where it came from, for messages
   * @return the new entry
   * @throws IllegalArgumentException if an edit with the same id is registered
   */
  public synchronized EditEntry add(Edit edit, boolean enabled, String source) {
    if (current().edit(edit.id()).isPresent()) {
      throw new IllegalArgumentException(
          "edit " + edit.id() + " from " + source + " is already registered");
    }
    Binding binding =
        hostReady
            ? binder.bind(List.of(edit), refuseUnmatched).get(edit.id())
            : Binding.pending("waiting for the host's first forward pass");
    EditEntry entry = new EditEntry(edit, enabled, binding, source);
    List<EditEntry> edits = new ArrayList<>(current().edits());
    edits.add(entry);
    report(null, entry);
    publish(edits);
    return entry;
  }

  /** Enables or disables an edit; false if there is no such edit. */
  public synchronized boolean setEnabled(String id, boolean enabled) {
    return replace(id, e -> e.withEnabled(enabled));
  }

  /** Removes an edit; false if there is no such edit. */
  public synchronized boolean remove(String id) {
    List<EditEntry> edits = new ArrayList<>(current().edits());
    boolean removed = edits.removeIf(e -> e.id().equals(id));
    if (removed) {
      publish(edits);
    }
    return removed;
  }

  /**
   * Called by the forward hook while the snapshot has {@link Snapshot#pendingWork()}: waits for the
   * edit files given at start, then binds every pending edit against the host's layers.
   *
   * @return the settled snapshot
   */
  public Snapshot settle() {
    try {
      if (!startup.await(STARTUP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        AgentLog.warn("edit files still loading after " + STARTUP_WAIT_SECONDS + " s; going on");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (!hostReady) {
        hostReady = true;
        rebindUnbound();
      }
      return current();
    }
  }

  /** Binds every pending or refused edit again (a host layer appeared); publishes the result. */
  public synchronized void rebindUnbound() {
    List<Edit> unbound = new ArrayList<>();
    for (EditEntry e : current().edits()) {
      if (!e.binding().isBound()) {
        unbound.add(e.edit());
      }
    }
    Map<String, Binding> bindings =
        unbound.isEmpty() ? Map.of() : binder.bind(unbound, refuseUnmatched);
    List<EditEntry> edits = new ArrayList<>();
    for (EditEntry e : current().edits()) {
      Binding b = bindings.get(e.id());
      EditEntry next = b == null ? e : e.withBinding(b);
      if (b != null) {
        report(e, next);
      }
      edits.add(next);
    }
    publish(edits);
  }

  private boolean replace(String id, java.util.function.UnaryOperator<EditEntry> change) {
    List<EditEntry> edits = new ArrayList<>(current().edits());
    for (int i = 0; i < edits.size(); i++) {
      if (edits.get(i).id().equals(id)) {
        edits.set(i, change.apply(edits.get(i)));
        publish(edits);
        return true;
      }
    }
    return false;
  }

  private void publish(List<EditEntry> edits) {
    Snapshot previous = current();
    List<EditEntry> active = edits.stream().filter(EditEntry::active).toList();
    Selection selection = Selection.of(active, previous.active());
    current.set(new Snapshot(previous.version() + 1, edits, selection, startupPending, hostReady));
  }

  private static void report(EditEntry before, EditEntry after) {
    Binding b = after.binding();
    if (before != null && before.binding().state() == b.state()) {
      return;
    }
    switch (b.state()) {
      case BOUND -> {
        StringBuilder where = new StringBuilder();
        for (Binding.Target t : b.targets()) {
          where.append(where.length() == 0 ? "" : ", ").append(t.param()).append(" -> ");
          where.append(t.layers().isEmpty() ? t.hostFingerprint() : String.join("|", t.layers()));
          where.append(t.byName() ? " (by name mapping)" : "");
        }
        AgentLog.info("edit " + after.id() + " bound (" + after.source() + "): " + where);
      }
      case REFUSED -> AgentLog.warn("edit " + after.id() + " refused: " + b.message());
      case PENDING -> {
        if (before != null || b.message() == null || !b.message().startsWith("waiting")) {
          AgentLog.info("edit " + after.id() + " pending: " + b.message());
        }
      }
    }
  }
}
