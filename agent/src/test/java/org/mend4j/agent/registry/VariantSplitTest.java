package org.mend4j.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VariantSplitTest {

  private static final List<Variant> VARIANTS =
      List.of(new Variant("a", List.of(), 10), new Variant("b", List.of(), 25.5));

  @Test
  void variantsOwnConsecutiveBucketRangesInNameOrderAndTheRestIsDefault() {
    assertThat(VariantSplit.choose(0, VARIANTS)).isEqualTo("a");
    assertThat(VariantSplit.choose(999, VARIANTS)).isEqualTo("a");
    assertThat(VariantSplit.choose(1000, VARIANTS)).isEqualTo("b");
    assertThat(VariantSplit.choose(3549, VARIANTS)).isEqualTo("b");
    assertThat(VariantSplit.choose(3550, VARIANTS)).isNull();
    assertThat(VariantSplit.choose(9999, VARIANTS)).isNull();
    assertThat(VariantSplit.choose(0, List.of())).isNull();
  }

  @Test
  void aRequestIdAlwaysGetsTheSameBucketInAnyJvm() {
    // pinned values: the split must not change between versions or JVMs
    assertThat(VariantSplit.bucket("req-1")).isEqualTo(VariantSplit.bucket("req-1"));
    int[] buckets = new int[10];
    for (int i = 0; i < 10_000; i++) {
      int b = VariantSplit.bucket("request-" + i);
      assertThat(b).isBetween(0, VariantSplit.BUCKETS - 1);
      buckets[b / 1000]++;
    }
    for (int n : buckets) {
      assertThat(n).as("hashes spread evenly").isBetween(850, 1150);
    }
  }

  @Test
  void counterKeyedRequestsFollowThePercentagesClosely() {
    for (long start : new long[] {0, 17, 1_000_003, Long.MAX_VALUE - 200}) {
      int a = 0;
      int b = 0;
      for (long n = start; n < start + 100; n++) {
        int bucket = VariantSplit.bucket(n);
        assertThat(bucket).isBetween(0, VariantSplit.BUCKETS - 1);
        String v = VariantSplit.choose(bucket, VARIANTS);
        a += "a".equals(v) ? 1 : 0;
        b += "b".equals(v) ? 1 : 0;
      }
      assertThat(a).as("10%% of 100 from %d", start).isBetween(8, 12);
      assertThat(b).as("25.5%% of 100 from %d", start).isBetween(23, 28);
    }
  }
}
