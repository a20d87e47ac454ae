package org.mend4j.demoapp.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NextTokenTest {

  @Test
  void greedyTakesTheFirstLargestLogit() {
    assertThat(NextToken.greedy().choose(new float[] {0.5f, 3f, -1f, 3f})).isEqualTo(1);
  }

  @Test
  void theSameSeedDrawsTheSameTokens() {
    float[] logits = {0f, 0.2f, 0.1f, -0.3f, 0.4f};
    NextToken a = NextToken.sampled(1.0, 42);
    NextToken b = NextToken.sampled(1.0, 42);
    int[] first = IntStream.range(0, 50).map(i -> a.choose(logits)).toArray();
    int[] second = IntStream.range(0, 50).map(i -> b.choose(logits)).toArray();
    assertThat(first).containsExactly(second);
    assertThat(IntStream.of(first).distinct().count()).isGreaterThan(2);
  }

  @Test
  void drawsFollowTheTemperatureScaledDistribution() {
    // logits ln(1), ln(3): probabilities 1/4 and 3/4 at temperature 1, 1/2 and 1/2 when very hot.
    float[] logits = {0f, (float) Math.log(3)};
    NextToken warm = NextToken.sampled(1.0, 7);
    long ones = IntStream.range(0, 4000).filter(i -> warm.choose(logits) == 1).count();
    assertThat(ones / 4000.0).isBetween(0.72, 0.78);
    NextToken hot = NextToken.sampled(1e6, 7);
    long hotOnes = IntStream.range(0, 4000).filter(i -> hot.choose(logits) == 1).count();
    assertThat(hotOnes / 4000.0).isBetween(0.47, 0.53);
  }

  @Test
  void aColdTemperatureIsAlmostGreedy() {
    float[] logits = {1f, 2f, 1.5f};
    NextToken cold = NextToken.sampled(1e-3, 3);
    assertThat(IntStream.range(0, 100).map(i -> cold.choose(logits))).containsOnly(1);
  }

  @Test
  void theTemperatureMustBePositiveAndFinite() {
    assertThatThrownBy(() -> NextToken.sampled(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NextToken.sampled(Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NextToken.sampled(Double.POSITIVE_INFINITY, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
