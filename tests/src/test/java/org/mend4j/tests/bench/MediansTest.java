package org.mend4j.tests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The statistics the benchmarks print, on values whose answers are known by hand. */
class MediansTest {

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfItsMiddleTwo() {
    assertThat(Medians.of(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Medians.of(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
  }

  @Test
  void roundRatiosPairEachRoundWithTheBaselineOfTheSameRound() {
    List<Double> base = List.of(10.0, 20.0, 40.0);
    List<Double> config = List.of(11.0, 20.0, 36.0);
    assertThat(Medians.ratios(config, base)).containsExactly(1.1, 1.0, 0.9);
    assertThat(Medians.ofRatios(config, base)).isEqualTo(1.0);
  }

  @Test
  void quartilesAreTheMediansOfTheLowerAndUpperHalves() {
    assertThat(Medians.quartiles(List.of(5.0, 1.0, 4.0, 2.0, 3.0))).containsExactly(2.0, 4.0);
    assertThat(Medians.quartiles(List.of(4.0, 3.0, 2.0, 1.0))).containsExactly(1.5, 3.5);
    assertThat(Medians.quartiles(List.of(7.0))).containsExactly(7.0, 7.0);
  }
}
