package org.mend4j.agent.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.mend4j.agent.internal.AgentLog;
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
 */
public final class EditRegistry {

  private static final long STARTUP_WAIT_SECONDS = 120;
  private static final int RECENT_FACTORS = 64;

  private final AtomicReference<Snapshot> current;
  private final EditBinder binder;
  private final BooleanSupplier refuseUnmatched;
  private final boolean attached;
  private volatile CountDownLatch startup = new CountDownLatch(0);
  private boolean startupPending;
  private boolean hostReady;

  /** The binding {@link #preview} found last, and how many re-bindings had happened by then. */
  private record Preview(String editId, long rebinds, Binding binding) {}

  private Preview lastPreview;
  private long rebinds;

  /** Stacked factors of recent selections, so toggling an edit back reuses its engine copy. */
  private final Map<String, FusedFactors> recent =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FusedFactors> eldest) {
          return size() > RECENT_FACTORS;
        }
      };

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
    this.current = current;
    this.binder = binder;
    this.refuseUnmatched = refuseUnmatched;
    this.attached = attached;
    current.set(Snapshot.EMPTY);
  }

  /** The current snapshot. */
  public Snapshot current() {
    return current.get();
  }

  /** Whether the agent was attached to a running JVM. */
  public boolean attached() {
    return attached;
  }

  /** Marks that edit files are being read: the first forward pass will wait for them. */
  public synchronized void beginStartupLoad() {
    startup = new CountDownLatch(1);
    startupPending = true;
    publish(current().edits(), current().variants());
  }

  /** Marks the start-up load done (also after a failure), releasing a waiting forward pass. */
  public void finishStartupLoad() {
    synchronized (this) {
      startupPending = false;
      publish(current().edits(), current().variants());
    }
    startup.countDown();
  }

  /**
   * Waits until the edit files given at start are loaded.
   *
   * @return false if they are still loading after {@code seconds}
   */
  public boolean awaitStartupLoad(long seconds) throws InterruptedException {
    return startup.await(seconds, TimeUnit.SECONDS);
  }

  /**
   * How {@code edit} would bind if it were added now: against the host's layers once the host is
   * ready, else pending. Registers nothing; the binding is reused when {@code edit} is registered
   * ({@link #add}, {@link #replaceAll}) before anything is bound again, so a change that checks an
   * edit's binding before committing it binds it once.
   */
  public synchronized Binding preview(Edit edit) {
    Binding b = bind(edit);
    lastPreview = new Preview(edit.id(), rebinds, b);
    return b;
  }

  /** The binding of an edit being registered: its preview's if still current, else a new one. */
  private Binding bindNew(Edit edit) {
    Preview p = lastPreview;
    if (p != null && p.editId().equals(edit.id()) && p.rebinds() == rebinds) {
      lastPreview = null;
      return p.binding();
    }
    return bind(edit);
  }

  private Binding bind(Edit edit) {
    return hostReady
        ? binder.bind(List.of(edit), refuseUnmatched.getAsBoolean()).get(edit.id())
        : Binding.pending("waiting for the host's first forward pass");
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
    EditEntry entry = new EditEntry(edit, enabled, bindNew(edit), source);
    List<EditEntry> edits = new ArrayList<>(current().edits());
    edits.add(entry);
    report(null, entry);
    publish(edits, current().variants());
    return entry;
  }

  /** Enables or disables an edit; false if there is no such edit. */
  public synchronized boolean setEnabled(String id, boolean enabled) {
    return replace(id, e -> e.withEnabled(enabled));
  }

  /** Removes an edit, also from every variant; false if there is no such edit. */
  public synchronized boolean remove(String id) {
    List<EditEntry> edits = new ArrayList<>(current().edits());
    boolean removed = edits.removeIf(e -> e.id().equals(id));
    if (removed) {
      Map<String, Variant> variants = new TreeMap<>();
      current().variants().forEach((name, v) -> variants.put(name, v.without(id)));
      publish(edits, variants);
    }
    return removed;
  }

  /**
   * Defines or replaces a variant.
   *
   * @throws IllegalArgumentException if it lists an edit that is not registered, or the variants'
   *     traffic would exceed 100 percent
   */
  public synchronized void putVariant(Variant variant) {
    variant.checkAmong(
        current().edits().stream().map(EditEntry::id).toList(), current().variants());
    Map<String, Variant> variants = new TreeMap<>(current().variants());
    variants.put(variant.name(), variant);
    publish(current().edits(), variants);
  }

  /** Removes a variant; false if there is no such variant. */
  public synchronized boolean removeVariant(String name) {
    Map<String, Variant> variants = new TreeMap<>(current().variants());
    if (variants.remove(name) == null) {
      return false;
    }
    publish(current().edits(), variants);
    return true;
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
      EditEntry entry =
          known != null
              ? known.withEnabled(s.enabled())
              : new EditEntry(s.edit(), s.enabled(), bindNew(s.edit()), s.source());
      if (known == null) {
        report(null, entry);
      }
      next.add(entry);
    }
    List<String> ids = next.stream().map(EditEntry::id).toList();
    Map<String, Variant> kept = new TreeMap<>();
    variants.forEach(
        (name, v) ->
            kept.put(
                name,
                new Variant(
                    name,
                    v.editIds().stream().filter(ids::contains).toList(),
                    v.trafficPercent())));
    publish(next, kept);
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

  /**
   * {@code snapshot} if it is settled, else the snapshot {@link #settle} returns: what a forward
   * hook applies, given the snapshot it read.
   */
  public Snapshot settled(Snapshot snapshot) {
    return snapshot.pendingWork() || !snapshot.hostReady() ? settle() : snapshot;
  }

  /** Binds every pending or refused edit again (a host layer appeared); publishes the result. */
  public synchronized void rebindUnbound() {
    rebinds++;
    List<Edit> unbound = new ArrayList<>();
    for (EditEntry e : current().edits()) {
      if (!e.binding().isBound()) {
        unbound.add(e.edit());
      }
    }
    Map<String, Binding> bindings =
        unbound.isEmpty() ? Map.of() : binder.bind(unbound, refuseUnmatched.getAsBoolean());
    List<EditEntry> edits = new ArrayList<>();
    for (EditEntry e : current().edits()) {
      Binding b = bindings.get(e.id());
      EditEntry next = b == null ? e : e.withBinding(b);
      if (b != null) {
        report(e, next);
      }
      edits.add(next);
    }
    publish(edits, current().variants());
  }

  private boolean replace(String id, UnaryOperator<EditEntry> change) {
    List<EditEntry> edits = new ArrayList<>(current().edits());
    for (int i = 0; i < edits.size(); i++) {
      if (edits.get(i).id().equals(id)) {
        edits.set(i, change.apply(edits.get(i)));
        publish(edits, current().variants());
        return true;
      }
    }
    return false;
  }

  /**
   * Composes every selection's factors anew, reusing none: a new copy of DJL has appeared, and the
   * factors in use may have dropped the Java copies it needs for its own engine copy.
   */
  public synchronized void recompose() {
    recent.clear();
    publish(current().edits(), current().variants(), false);
  }

  private void publish(List<EditEntry> edits, Map<String, Variant> variants) {
    publish(edits, variants, true);
  }

  private void publish(List<EditEntry> edits, Map<String, Variant> variants, boolean reuse) {
    Snapshot previous = current();
    Map<String, FusedFactors> reusable = new HashMap<>(recent);
    if (reuse) {
      remember(previous.active(), reusable);
      previous.variants().keySet().forEach(name -> remember(previous.selection(name), reusable));
    }
    Selection active = Selection.of(edits.stream().filter(EditEntry::active).toList(), reusable);
    Map<String, Selection> selections = new HashMap<>();
    for (Variant v : variants.values()) {
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
            variants,
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
      case REFUSED ->
          AgentLog.warn("edit " + after.id() + " (" + after.source() + ") refused: " + b.message());
      case PENDING -> {
        if (before != null || b.message() == null || !b.message().startsWith("waiting")) {
          AgentLog.info("edit " + after.id() + " pending: " + b.message());
        }
      }
    }
  }
}
