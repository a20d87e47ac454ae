package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a base weight: SHA-256 over its shape and its float32 values in HF layout ({@code
 * [in, out]} for Conv1D weights), row-major, little-endian. An edit records the fingerprint of
 * every weight it was computed against, so it can be bound to that exact weight in any host,
 * whatever the host calls it, and refused for any other model.
 */
public final class Fingerprint {

  private Fingerprint() {}

  /** Fingerprint of a weight given in HF layout. */
  public static String of(NDArray hfLayoutWeight) {
    ByteBuffer data = hfLayoutWeight.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    return of(hfLayoutWeight.getShape().getShape(), data);
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
