package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The identity of a base weight: SHA-256 over its shape and its float32 values in HF layout ({@code
 * [in, out]} for Conv1D weights), row-major, little-endian. An edit records the fingerprint of
 * every weight it was computed against, so it can be bound to that exact weight in any host,
 * whatever the host calls it, and refused for any other model.
 */
public final class Fingerprint {

  /**
   * The bytes hashed per block of rows (at least one row): a weight is read in blocks, so that
   * hashing it takes a block of native memory at most and no Java heap. Read whole, a GPT-2-small
   * MLP weight is a 9 MiB Java array, and a host that binds an edit hashes every weight of an
   * edited shape (24 of them): binding one edit added 303 MiB to demo-app's resident memory with
   * weights read whole, 183 MiB read in blocks ({@code AgentThroughputBench --gpt2-small-body
   * --baseline-agent JAR}, agent/README.md).
   */
  static final long BLOCK_BYTES = 1L << 18;

  private Fingerprint() {}

  /**
   * A weight read in blocks of rows, for {@link #ofRowBlocks}: whoever holds the array reads it, in
   * whatever engine's types it has.
   */
  @FunctionalInterface
  public interface RowBlocks {
    /**
     * Hands rows {@code [from, to)} of the weight to {@code digest} as float32 bytes in the
     * platform's (little-endian) order, row-major; the bytes may be freed once it returns.
     */
    void read(long from, long to, Consumer<ByteBuffer> digest);
  }

  /** Fingerprint of a weight given in HF layout, whatever its strides. */
  public static String of(NDArray hfLayoutWeight) {
    return ofRowBlocks(
        hfLayoutWeight.getShape().getShape(),
        (from, to, digest) -> {
          try (NDArray block = hfLayoutWeight.get(from + ":" + to);
              NDArray flat = block.reshape(-1)) { // a view when contiguous, else a copy
            digest.accept(flat.toByteBuffer(true)); // no copy of a contiguous array
          }
        });
  }

  /**
   * Fingerprint of a weight of {@code shape} (at least one dimension) read block by block from
   * {@code weight}.
   */
  public static String ofRowBlocks(long[] shape, RowBlocks weight) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("a weight has at least one dimension, got a scalar");
    }
    MessageDigest digest = start(shape);
    long rows = shape[0];
    long rowBytes = Float.BYTES;
    for (int d = 1; d < shape.length; d++) {
      rowBytes *= shape[d];
    }
    long step = Math.max(1, BLOCK_BYTES / Math.max(1, rowBytes));
    for (long from = 0; from < rows; from += step) {
      weight.read(from, Math.min(rows, from + step), digest::update);
    }
    return finish(digest);
  }

  /** Fingerprint of a weight given as its shape and little-endian float32 bytes. */
  public static String of(long[] shape, ByteBuffer littleEndianFloats) {
    MessageDigest digest = start(shape);
    digest.update(littleEndianFloats.duplicate());
    return finish(digest);
  }

  /**
   * A digest that has taken a weight's shape, for its values to follow in chunks (a weight read
   * from a file piece by piece); {@link #finish} gives the fingerprint.
   */
  public static MessageDigest start(long[] shape) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteBuffer dims = ByteBuffer.allocate(8 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long d : shape) {
        dims.putLong(d);
      }
      digest.update(dims.flip());
      return digest;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fingerprint of a {@link #start}ed digest that has taken all the values. */
  public static String finish(MessageDigest digest) {
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }
}
