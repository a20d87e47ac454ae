package org.mend4j.agent.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Checks {@code Authorization: Bearer TOKEN} in constant time: both tokens are hashed with SHA-256
 * and the digests compared with {@link MessageDigest#isEqual}, so neither the content nor the
 * length of the expected token leaks through timing.
 */
final class AdminAuth {

  private static final String SCHEME = "bearer ";

  private final byte[] expected;

  AdminAuth(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("the admin token is empty");
    }
    this.expected = sha256(token);
  }

  /** Whether an {@code Authorization} header value carries the token. */
  boolean accepts(String authorization) {
    if (authorization == null
        || authorization.length() < SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return false;
    }
    return MessageDigest.isEqual(
        expected, sha256(authorization.substring(SCHEME.length()).strip()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
