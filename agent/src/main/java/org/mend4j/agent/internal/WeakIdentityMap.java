package org.mend4j.agent.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A concurrent map keyed by object identity that does not keep its keys alive: the agent caches
 * facts about host objects (layers, blocks) without ever preventing the host from freeing them.
 * Entries of collected keys are purged on writes. Values must not reference their key.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class WeakIdentityMap<K, V> {

  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<K> collected = new ReferenceQueue<>();

  /** The value of {@code key}, or null. Allocation-free apart from the lookup key. */
  public V get(K key) {
    return map.get(new Lookup(key));
  }

  /** The value of {@code key}, computing and storing it on first use. */
  public V computeIfAbsent(K key, Function<? super K, ? extends V> compute) {
    V value = get(key);
    if (value != null) {
      return value;
    }
    purge();
    return map.computeIfAbsent(new WeakKey<>(key, collected), k -> compute.apply(key));
  }

  /** Live keys with their values, strongly referenced by the returned list only. */
  @SuppressWarnings("unchecked")
  public List<Map.Entry<K, V>> entries() {
    List<Map.Entry<K, V>> live = new ArrayList<>();
    for (Map.Entry<Object, V> e : map.entrySet()) {
      K key = ((WeakKey<K>) e.getKey()).get();
      if (key != null) {
        live.add(Map.entry(key, e.getValue()));
      }
    }
    return live;
  }

  /** Number of entries, including some whose key may just have been collected. */
  public int size() {
    purge();
    return map.size();
  }

  private void purge() {
    Reference<? extends K> ref;
    while ((ref = collected.poll()) != null) {
      map.remove(ref);
    }
  }

  private static final class WeakKey<K> extends WeakReference<K> {
    private final int hash;

    WeakKey(K key, ReferenceQueue<K> queue) {
      super(key, queue);
      this.hash = System.identityHashCode(key);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true;
      }
      Object referent = get();
      if (other instanceof WeakKey<?> w) {
        return referent != null && referent == w.get();
      }
      return other instanceof Lookup l && referent != null && referent == l.key;
    }
  }

  private static final class Lookup {
    private final Object key;
    private final int hash;

    Lookup(Object key) {
      this.key = key;
      this.hash = System.identityHashCode(key);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WeakKey<?> w ? w.get() == key : other == this;
    }
  }
}
