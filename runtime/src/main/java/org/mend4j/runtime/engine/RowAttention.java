package org.mend4j.runtime.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One query row of GPT-2's causal self-attention against its KV cache, in one native call: the
 * row's key and value are written into the cache's buffers at its position, and every head attends
 * over the positions up to it. It lives in {@link RowProducts}' library ({@code
 * src/main/native/row_attention.c}) and applies where it does: loaded, no gradient recorded,
 * float32 on the CPU.
 *
 * <p>Why: a decode step's attention is little arithmetic (GPT-2 small at position 300 reads 1.8 MB
 * of cache a layer) but made of about twenty DJL calls a layer (the query, key and value split and
 * reshaped into heads, the scale, two in-place writes into the cache and two views of it, two
 * batched products, the softmax, the heads merged back), each a JNI call and an array in the step's
 * scope. Here they are six: the buffers' addresses, the result and the call.
 */
public final class RowAttention {

  private RowAttention() {}

  /**
   * {@code qkv} ({@code [1, 1, 3 heads dim]}, {@code c_attn}'s output for one new position)
   * attending over {@code position + 1} cached positions, after its key and value were written into
   * {@code keys} and {@code values} ({@code [1, heads, capacity, dim]}, capacity above {@code
   * position}) at {@code position}; {@code [1, 1, heads dim]} in {@code qkv}'s manager, the heads'
   * outputs side by side. Empty, with the cache unchanged, where this class does not apply.
   *
   * @param scale what the query is multiplied by before its products with the keys
   */
  public static Optional<NDArray> attend(
      NDArray qkv, NDArray keys, NDArray values, int position, float scale) {
    Shape cache = keys.getShape();
    if (!applies(qkv) || !applies(keys) || !applies(values) || cache.dimension() != 4) {
      return Optional.empty();
    }
    int heads = (int) cache.get(1);
    int capacity = (int) cache.get(2);
    int dim = (int) cache.get(3);
    if (!qkv.getShape().equals(new Shape(1, 1, 3L * heads * dim))
        || cache.get(0) != 1
        || !values.getShape().equals(cache)
        || position < 0
        || position >= capacity) {
      return Optional.empty();
    }
    NDArray out = qkv.getManager().create(new Shape(1, 1, (long) heads * dim), DataType.FLOAT32);
    boolean attended =
        attendNative(
            buffer(qkv),
            buffer(keys),
            buffer(values),
            buffer(out),
            heads,
            dim,
            capacity,
            position,
            scale);
    if (!attended) {
      out.close();
      return Optional.empty();
    }
    return Optional.of(out);
  }

  private static boolean applies(NDArray array) {
    return RowProducts.loaded()
        && !JniUtils.isGradMode()
        && array.getDataType() == DataType.FLOAT32
        && Device.cpu().equals(array.getDevice())
        && !array.isSparse();
  }

  /** A view of the array's memory (a contiguous array's own, which the native call writes). */
  private static ByteBuffer buffer(NDArray array) {
    return array.toByteBuffer(true);
  }

  /** False, with nothing written, if its scratch could not be allocated. */
  private static native boolean attendNative(
      ByteBuffer qkv,
      ByteBuffer keys,
      ByteBuffer values,
      ByteBuffer out,
      int heads,
      int dim,
      int capacity,
      int position,
      float scale);
}
