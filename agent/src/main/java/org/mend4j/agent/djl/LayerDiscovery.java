package org.mend4j.agent.djl;

import java.util.concurrent.atomic.AtomicInteger;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;

/**
 * How the forward hook learns the host's layers from their calls: a layer met unprepared is read
 * (its shape, and its fingerprint if some edit has that shape) and edits waiting for such a layer
 * are bound again.
 *
 * <p>Attached to a running JVM, the agent did not see the host build its layers: every layer call
 * then reaches the hook ({@link #discovering()}) until {@value #QUIET_CALLS} calls in a row meet no
 * new layer.
 */
final class LayerDiscovery {

  /** Layer calls in a row without a new layer after which an attached agent knows them all. */
  static final int QUIET_CALLS = 2000;

  /** A layer's state, and the snapshot after any rebinding its first sight caused. */
  record Met(LayerState state, Snapshot snapshot, boolean first) {}

  private final EditRegistry registry;
  private final LayerCatalog catalog;
  private final HostBinder binder;
  private final AtomicInteger quietCalls = new AtomicInteger();
  private volatile boolean discovering;

  LayerDiscovery(EditRegistry registry, LayerCatalog catalog, HostBinder binder) {
    this.registry = registry;
    this.catalog = catalog;
    this.binder = binder;
    this.discovering = registry.attached();
  }

  /** Whether the attached agent is still learning layers from their calls. */
  boolean discovering() {
    return discovering;
  }

  /** Whether layer calls must reach the hook to learn layers ({@code s}: the current snapshot). */
  boolean wanted(Snapshot s) {
    return discovering || s.discoverUnbound();
  }

  /** Counts a call of a known layer made without the exit hook (the merged fast path). */
  void knownLayerCalled() {
    if (discovering) {
      quietCalls.incrementAndGet();
    }
  }

  /**
   * The layer's state, read first if the layer is new.
   *
   * @param s the snapshot the call applies
   */
  Met meet(Object layer, Snapshot s) {
    LayerState state = catalog.get(layer);
    if (state == null || !state.prepared()) {
      state = catalog.track(layer);
      quietCalls.set(0);
      return new Met(state, firstSight(layer, state, s), true);
    }
    if (discovering && quietCalls.incrementAndGet() >= QUIET_CALLS) {
      discovering = false;
      AgentLog.info(
          "attached agent: "
              + catalog.size()
              + " host layers known ("
              + QUIET_CALLS
              + " layer calls met no new one)");
    }
    return new Met(state, s, false);
  }

  /** Reads a layer met unprepared and binds waiting edits if it can take them. */
  private Snapshot firstSight(Object layer, LayerState state, Snapshot s) {
    boolean ready = binder.prepare(layer, state, s.editShapes());
    Snapshot now = registry.current();
    if (ready && now.hostReady() && now.hasUnbound() && now.editShapes().contains(state.shape())) {
      registry.rebindUnbound();
      return registry.current();
    }
    return s;
  }
}
