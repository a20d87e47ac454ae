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
      for (ParamDelta p : params) {
        digest.update(p.fingerprint().getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes =
            ByteBuffer.allocate(4 * (p.u().length + p.delta().length + 1))
                .order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(p.u()).put(p.delta()).put(p.alpha());
        digest.update(bytes);
        KeyValues kv = p.keyValues();
        if (kv != null) {
          ByteBuffer kvBytes =
              ByteBuffer.allocate(Math.toIntExact(4 * (kv.storedFloats() + 2)))
                  .order(ByteOrder.LITTLE_ENDIAN);
          kvBytes
              .asFloatBuffer()
              .put(kv.keys())
              .put(kv.whitenedKeys())
              .put(kv.values())
              .put(kv.lambda())
              .put(kv.gate());
          digest.update(kvBytes);
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

  /** Floats stored by all factors. */
  public long storedFloats() {
    return params.stream().mapToLong(ParamDelta::storedFloats).sum();
  }

  /** Floats a dense {@code dW} for the same weights would take. */
  public long denseFloats() {
    return params.stream().mapToLong(p -> p.in() * p.out()).sum();
  }
}
