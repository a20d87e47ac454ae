package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the positions processed so far, per layer, so incremental decoding feeds one
 * new token per step. Owns its arrays in a manager of its own; close it when the sequence is done.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private int length;

  /** Creates an empty cache for a model with {@code layers} blocks. */
  public KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Number of positions cached. */
  public int length() {
    return length;
  }

  /**
   * Appends this step's keys and values {@code [B, H, T, D]} of a layer and returns the full ones.
   * The returned arrays belong to the cache.
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    keys[layer] = concat(keys[layer], k);
    values[layer] = concat(values[layer], v);
    if (layer == keys.length - 1) {
      length = (int) keys[layer].getShape().get(2);
    }
    return new NDArray[] {keys[layer], values[layer]};
  }

  private NDArray concat(NDArray past, NDArray now) {
    NDArray all = past == null ? now : NDArrays.concat(new NDList(past, now), 2);
    all.attach(manager);
    if (past != null) {
      past.close();
    }
    return all;
  }

  /** Keeps only the batch rows {@code rows} (in that order), as beam search reorders beams. */
  public void select(long[] rows) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray index = scope.create(rows);
      for (int i = 0; i < keys.length; i++) {
        keys[i] = replace(keys[i], keys[i].get(index));
        values[i] = replace(values[i], values[i].get(index));
      }
    }
  }

  private NDArray replace(NDArray old, NDArray fresh) {
    fresh.attach(manager);
    old.close();
    return fresh;
  }

  @Override
  public void close() {
    manager.close();
  }
}
