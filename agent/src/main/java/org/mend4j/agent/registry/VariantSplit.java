package org.mend4j.agent.registry;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The deterministic percentage split: which variant a request that names none is served with.
 *
 * <p>Each request gets a bucket in {@code 0..9999}; the variants, in name order, own consecutive
 * ranges of {@code round(traffic_percent * 100)} buckets from 0 up, and the rest belong to the
 * default variant. The bucket of a request with an id ({@code X-Request-Id}) is a hash of the id,
 * so the same id always gets the same variant, in any JVM; a request without one gets the next
 * number {@code n} of a counter and bucket {@code frac(n * 0.618...)}, a low-discrepancy sequence:
 * among any 100 consecutive such requests, each variant's share is within about 2 of its
 * percentage.
 */
public final class VariantSplit {

  /** Number of buckets: percentages are honoured to two decimals. */
  public static final int BUCKETS = 10_000;

  /** {@code 2^64 / phi}: the golden ratio's fractional part in 64-bit fixed point. */
  private static final long GOLDEN_FRACTION = 0x9E3779B97F4A7C15L;

  private VariantSplit() {}

  /** The bucket of a request id: a 64-bit mix of its UTF-8 bytes. */
  public static int bucket(String requestId) {
    long h = GOLDEN_FRACTION;
    for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h ^ (b & 0xff));
    }
    return (int) Long.remainderUnsigned(mix(h), BUCKETS);
  }

  /**
   * The bucket of the {@code n}-th request without an id: {@code frac(n * 0.618...)} in 64-bit
   * fixed point (a Weyl sequence), exact for every {@code n}.
   */
  public static int bucket(long n) {
    long fraction = n * GOLDEN_FRACTION;
    return (int) (((fraction >>> 32) * BUCKETS) >>> 32);
  }

  /**
   * The variant owning {@code bucket}, or null for the default variant.
   *
   * @param bucket a bucket in {@code 0..BUCKETS-1}
   * @param variants the defined variants, in name order
   */
  public static String choose(int bucket, Collection<Variant> variants) {
    int upTo = 0;
    for (Variant v : variants) {
      upTo += (int) Math.round(v.trafficPercent() * 100);
      if (bucket < upTo) {
        return v.name();
      }
    }
    return null;
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
