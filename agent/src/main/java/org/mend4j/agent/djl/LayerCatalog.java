package org.mend4j.agent.djl;

import java.util.List;
import java.util.Map;
import org.mend4j.agent.internal.WeakIdentityMap;

/**
 * Every instance of an instrumented layer class the host has built (recorded by the constructor
 * advice) or run (recorded by the forward hook), weakly, with its {@link LayerState}.
 */
public final class LayerCatalog {

  private final WeakIdentityMap<Object, LayerState> layers = new WeakIdentityMap<>();

  /** Records a layer (idempotent); returns its state. */
  public LayerState track(Object layer) {
    return layers.computeIfAbsent(layer, l -> new LayerState());
  }

  /** The state of a layer, or null if it was never recorded. */
  public LayerState get(Object layer) {
    return layers.get(layer);
  }

  /** The live layers with their states, strongly held by the returned list only. */
  public List<Map.Entry<Object, LayerState>> live() {
    return layers.entries();
  }

  /** Number of recorded layers (some may just have been collected). */
  public int size() {
    return layers.size();
  }
}
