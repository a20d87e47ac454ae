package org.mend4j.runtime.edit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One knowledge edit: the requests it makes true (one, or k for a batched edit), the factored
 * change per inner weight, and where it came from.
 *
 * @param id content-derived identifier
 * @param created when it was computed
 * @param editorId the editor that computed it (its checkpoint's id)
 * @param requests what the edit makes true
 * @param params the factored change per weight, in inner-parameter order
 */
public record Edit(
    String id,
    Instant created,
    String editorId,
    List<EditRequest> requests,
    List<ParamDelta> params) {

  /** Bytes of factor values hashed at a time by {@link #contentId}. */
  private static final int DIGEST_CHUNK_BYTES = 64 * 1024;

  /** Copies the lists. */
  public Edit {
    requests = List.copyOf(requests);
    params = List.copyOf(params);
    if (requests.isEmpty() || params.isEmpty()) {
      throw new IllegalArgumentException("an edit needs at least one request and one parameter");
    }
  }

  /** Creates an edit whose id is derived from its requests and factors. */
  public static Edit create(
      Instant created, String editorId, List<EditRequest> requests, List<ParamDelta> params) {
    return new Edit(contentId(requests, params), created, editorId, requests, params);
  }

  /**
   * Whether the id is the one {@link #create} derives from the requests and factors: false once
   * anything that changes answers (a factor, alpha, a key, a value, a request) was altered after
   * the edit was made.
   */
  public boolean idMatchesContent() {
    return id.equals(contentId(requests, params));
  }

  private static String contentId(List<EditRequest> requests, List<ParamDelta> params) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (EditRequest r : requests) {
        digest.update(r.toString().getBytes(StandardCharsets.UTF_8));
      }
      // the factors' float32 values, little-endian, in this order: hashed through one small
      // buffer, where a buffer of all of them would copy every edit it checks
      ByteBuffer chunk = ByteBuffer.allocate(DIGEST_CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (ParamDelta p : params) {
        digest.update(p.fingerprint().getBytes(StandardCharsets.UTF_8));
        digestFloats(digest, chunk, p.u(), p.delta(), new float[] {p.alpha()});
        KeyValues kv = p.keyValues();
        if (kv != null) {
          digestFloats(
              digest,
              chunk,
              kv.keys(),
              kv.whitenedKeys(),
              kv.values(),
              new float[] {kv.lambda(), kv.gate()});
          for (int r : kv.requests()) {
            digest.update((byte) r);
          }
        }
      }
      return "e" + HexFormat.of().formatHex(digest.digest()).substring(0, 15);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Feeds {@code arrays}' values to {@code digest} as little-endian float32, via {@code chunk}. */
  private static void digestFloats(MessageDigest digest, ByteBuffer chunk, float[]... arrays) {
    int capacity = chunk.capacity() / Float.BYTES;
    for (float[] values : arrays) {
      for (int from = 0; from < values.length; from += capacity) {
        int n = Math.min(capacity, values.length - from);
        chunk.clear();
        chunk.asFloatBuffer().put(values, from, n);
        chunk.limit(n * Float.BYTES);
        digest.update(chunk);
      }
    }
  }

  /** Floats stored by all factors. */
  public long storedFloats() {
    return params.stream().mapToLong(ParamDelta::storedFloats).sum();
  }

  /** Floats a dense {@code dW} for the same weights would take. */
  public long denseFloats() {
    return params.stream().mapToLong(p -> p.in() * p.out()).sum();
  }
}
