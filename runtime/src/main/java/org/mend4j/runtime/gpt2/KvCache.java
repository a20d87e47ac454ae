package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the positions processed so far, per layer, so incremental decoding feeds one
 * new token per step. Owns its arrays in a manager of its own; close it when the sequence is done.
 *
 * <p>Each layer's keys and values live in a buffer {@code [B, H, capacity, D]} that a step writes
 * its new positions into, in place, and that attention reads through a view of the filled
 * positions: a step costs the new positions' copy, not a copy of the whole cache (which
 * concatenation would make every step). The capacity doubles when full. Inference only: the
 * in-place writes are not differentiable.
 */
public final class KvCache implements AutoCloseable {

  private static final int FIRST_CAPACITY = 64;

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
   * Appends this step's keys and values {@code [B, H, T, D]} of a layer and returns views of all
   * cached ones, attached to the manager of {@code k} (the step's scope).
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    int tokens = (int) k.getShape().get(2);
    int end = length + tokens;
    reserve(layer, k.getShape(), k.getDataType(), end);
    NDIndex step = positions(length, end);
    keys[layer].set(step, k);
    values[layer].set(step, v);
    advance(layer, tokens);
    NDIndex filled = positions(0, end);
    NDArray allKeys = keys[layer].get(filled);
    NDArray allValues = values[layer].get(filled);
    allKeys.attach(k.getManager());
    allValues.attach(k.getManager());
    return new NDArray[] {allKeys, allValues};
  }

  /**
   * The key and value buffers {@code [B, H, capacity, D]} of a layer, with room for one more
   * position at {@link #length}, for a caller that writes that position into them itself ({@link
   * org.mend4j.runtime.engine.RowAttention}) and then calls {@link #advance}.
   *
   * @param step the shape of one position's keys, {@code [B, H, 1, D]}
   */
  NDArray[] roomForOne(int layer, Shape step, DataType type) {
    reserve(layer, step, type, length + 1);
    return new NDArray[] {keys[layer], values[layer]};
  }

  /** Counts {@code tokens} positions written into a layer; the last layer's count the sequence. */
  void advance(int layer, int tokens) {
    if (layer == keys.length - 1) {
      length += tokens;
    }
  }

  /**
   * Grows a layer's buffers, shaped as {@code step} but for their positions, to hold {@code end}.
   */
  private void reserve(int layer, Shape step, DataType type, int end) {
    if (keys[layer] == null || end > keys[layer].getShape().get(2)) {
      long capacity = Math.max(FIRST_CAPACITY, Long.highestOneBit(end) << 1);
      keys[layer] = grow(keys[layer], step, type, capacity);
      values[layer] = grow(values[layer], step, type, capacity);
    }
  }

  /**
   * A buffer of {@code capacity} positions holding the {@link #length} cached ones of {@code old}.
   */
  private NDArray grow(NDArray old, Shape s, DataType type, long capacity) {
    NDArray fresh = manager.zeros(new Shape(s.get(0), s.get(1), capacity, s.get(3)), type);
    if (old != null) {
      NDIndex cached = positions(0, length);
      fresh.set(cached, old.get(cached));
      old.close();
    }
    return fresh;
  }

  private static NDIndex positions(long from, long to) {
    return new NDIndex().addAllDim().addAllDim().addSliceDim(from, to);
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
