package org.mend4j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

  private static final float[] LOGITS = {2.0f, 1.0f, 0.5f, -1.0f, 3.0f};

  @Test
  void sameSeedSameDraws() {
    int[] a = draws(1.0, 0, 1.0, 7, 50);
    assertThat(draws(1.0, 0, 1.0, 7, 50)).containsExactly(a);
    assertThat(draws(1.0, 0, 1.0, 8, 50)).isNotEqualTo(a);
  }

  @Test
  void topKOfOneIsGreedy() {
    assertThat(draws(1.0, 1, 1.0, 3, 30)).containsOnly(4);
  }

  @Test
  void topPKeepsTheSmallestSetReachingTheMass() {
    // softmax(LOGITS): token 4 ~ 0.61, token 0 ~ 0.22: p = 0.7 keeps exactly {4, 0}
    assertThat(draws(1.0, 0, 0.7, 5, 400)).containsOnly(4, 0).contains(4, 0);
  }

  @Test
  void frequenciesFollowTheTemperedDistribution() {
    int[] counts = new int[LOGITS.length];
    for (int t : draws(1.0, 0, 1.0, 11, 20_000)) {
      counts[t]++;
    }
    double total = 0;
    for (float l : LOGITS) {
      total += Math.exp(l);
    }
    for (int i = 0; i < LOGITS.length; i++) {
      assertThat(counts[i] / 20_000.0)
          .isCloseTo(Math.exp(LOGITS[i]) / total, org.assertj.core.api.Assertions.within(0.015));
    }
  }

  private static int[] draws(double temperature, int topK, double topP, long seed, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = Sampler.sample(LOGITS, temperature, topK, topP, random);
    }
    return out;
  }
}
