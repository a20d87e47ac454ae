package org.mend4j.agent.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.mend4j.runtime.edit.Edit;

/**
 * The edits and variants the agent knows, as an immutable {@link Snapshot} behind one {@link
 * AtomicReference}. Every change (add, enable, disable, remove, binding, variant) runs under this
 * object's lock, builds a new snapshot and swaps it in; readers never lock.
 *
 * <p>Binding follows the host's life: edits registered before the host's first forward pass stay
 * {@link Binding.State#PENDING}; the first forward pass {@link #settle settles} them against every
 * layer the host has built, and from then on edits bind as they are added. When the agent started
 * with the JVM it saw every layer being built, so an edit with a parameter that matches no host
 * layer is refused. When it was attached later, layers built before are learnt as they run: an
 * unmatched edit stays pending, and is bound again as the hook meets new layers, until {@code
 * refuseUnmatched} says the host's layers are all known.
 *
 * <p>This class is the lock and the order of each operation; the edits and variants and their
 * changes are {@link Entries}, how an edit is bound over the host's life {@link EditBindings}, how
 * a snapshot is composed and published {@link SnapshotPublisher}, and the wait for the edit files
 * given at start {@link StartupLoad}.
 */
public final class EditRegistry {

  private final SnapshotPublisher snapshots;
  private final EditBindings bindings;
  private final StartupLoad startup = new StartupLoad();
  private final boolean attached;

  /**
   * Creates an empty registry.
   *
   * @param current where snapshots are published (the forward hook reads it)
   * @param binder binds edits to the host's layers
   * @param refuseUnmatched whether the host's layers are all known now, so that an unmatched edit
   *     is refused rather than left pending
   * @param attached whether the agent was attached to a running JVM (pending edits then make the
   *     hook look at every layer it meets, see {@link Snapshot#discoverUnbound()})
   */
  public EditRegistry(
      AtomicReference<Snapshot> current,
      EditBinder binder,
      BooleanSupplier refuseUnmatched,
      boolean attached) {
    this.snapshots = new SnapshotPublisher(current, attached);
    this.bindings = new EditBindings(binder, refuseUnmatched);
    this.attached = attached;
  }

  /** The current snapshot. */
  public Snapshot current() {
    return snapshots.current();
  }

  /** Whether the agent was attached to a running JVM. */
  public boolean attached() {
    return attached;
  }

  /** Marks that edit files are being read: the first forward pass will wait for them. */
  public synchronized void beginStartupLoad() {
    startup.begin();
    publish(entries());
  }

  /** Marks the start-up load done (also after a failure), releasing a waiting forward pass. */
  public void finishStartupLoad() {
    synchronized (this) {
      startup.markDone();
      publish(entries());
    }
    startup.release();
  }

  /**
   * Waits until the edit files given at start are loaded.
   *
   * @return false if they are still loading after {@code seconds}
   */
  public boolean awaitStartupLoad(long seconds) throws InterruptedException {
    return startup.await(seconds);
  }

  /**
   * How {@code edit} would bind if it were added now: against the host's layers once the host is
   * ready, else pending. Registers nothing; the binding is reused when {@code edit} is registered
   * ({@link #add}, {@link #replaceAll}) before anything is bound again, so a change that checks an
   * edit's binding before committing it binds it once.
   */
  public synchronized Binding preview(Edit edit) {
    return bindings.preview(edit);
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
    EditEntry entry = bindings.newEntry(edit, enabled, source);
    publish(entries().adding(entry));
    return entry;
  }

  /** Enables or disables an edit; false if there is no such edit. */
  public synchronized boolean setEnabled(String id, boolean enabled) {
    return publish(entries().changing(id, e -> e.withEnabled(enabled)));
  }

  /** Removes an edit, also from every variant; false if there is no such edit. */
  public synchronized boolean remove(String id) {
    return publish(entries().removing(id));
  }

  /**
   * Defines or replaces a variant.
   *
   * @throws IllegalArgumentException if it lists an edit that is not registered, or the variants'
   *     traffic would exceed 100 percent
   */
  public synchronized void putVariant(Variant variant) {
    publish(entries().withVariant(variant));
  }

  /** Removes a variant; false if there is no such variant. */
  public synchronized boolean removeVariant(String name) {
    return publish(entries().withoutVariant(name));
  }

  /** An edit as a shared store records it: the edit, its flag, and where it came from. */
  public record Stored(Edit edit, boolean enabled, String source) {}

  /**
   * Replaces every edit and variant at once with a store's state, in one swap: edits already
   * registered keep their binding (and source) and take the stored flag, new ones are bound as
   * {@link #add} would bind them, edits not listed are removed, and variants keep only edits that
   * are registered. The new snapshot is complete (bound, composed) before it is published, so a
   * request sees the state before the change or after it, never a part of it.
   *
   * @param edits the stored edits in the store's order
   * @param variants the stored variants
   */
  public synchronized void replaceAll(List<Stored> edits, Map<String, Variant> variants) {
    Map<String, EditEntry> before = new HashMap<>();
    current().edits().forEach(e -> before.put(e.id(), e));
    List<EditEntry> next = new ArrayList<>();
    for (Stored s : edits) {
      EditEntry known = before.get(s.edit().id());
      next.add(
          known != null
              ? known.withEnabled(s.enabled())
              : bindings.newEntry(s.edit(), s.enabled(), s.source()));
    }
    publish(Entries.restricted(next, variants));
  }

  /**
   * Called by the forward hook while the snapshot has {@link Snapshot#pendingWork()}: waits for the
   * edit files given at start, then binds every pending edit against the host's layers.
   *
   * @return the settled snapshot
   */
  public Snapshot settle() {
    startup.awaitForFirstPass();
    synchronized (this) {
      if (bindings.markHostReady()) {
        rebindUnbound();
      }
      return current();
    }
  }

  /**
   * {@code snapshot} if it is settled, else the snapshot {@link #settle} returns: what a forward
   * hook applies, given the snapshot it read.
   */
  public Snapshot settled(Snapshot snapshot) {
    return snapshot.pendingWork() || !snapshot.hostReady() ? settle() : snapshot;
  }

  /** Binds every pending or refused edit again (a host layer appeared); publishes the result. */
  public synchronized void rebindUnbound() {
    publish(new Entries(bindings.rebound(current().edits()), current().variants()));
  }

  /**
   * Composes every selection's factors anew, reusing none: a new copy of DJL has appeared, and the
   * factors in use may have dropped the Java copies it needs for its own engine copy.
   */
  public synchronized void recompose() {
    snapshots.recompose(startup.pending(), bindings.hostReady());
  }

  private Entries entries() {
    return Entries.of(current());
  }

  private boolean publish(Optional<Entries> next) {
    next.ifPresent(this::publish);
    return next.isPresent();
  }

  private void publish(Entries next) {
    snapshots.publish(next, startup.pending(), bindings.hostReady());
  }
}
