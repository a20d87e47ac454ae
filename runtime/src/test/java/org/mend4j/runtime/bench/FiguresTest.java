package org.mend4j.runtime.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The statistics the benchmarks print, on values whose answers are known by hand. */
class FiguresTest {

  @Test
  void theMedianOfAnEvenCountIsTheUpperOfItsMiddleTwo() {
    assertThat(Figures.median(new double[] {4, 1, 3, 2})).isEqualTo(3);
    assertThat(Figures.median(new double[] {5, 1, 3})).isEqualTo(3);
  }

  @Test
  void quartilesAreTheMediansOfTheLowerAndUpperHalves() {
    assertThat(Figures.quartiles(new double[] {5, 1, 4, 2, 3})).containsExactly(2, 4);
    assertThat(Figures.quartiles(new double[] {4, 3, 2, 1})).containsExactly(2, 4);
    assertThat(Figures.quartiles(new double[] {7})).containsExactly(7, 7);
  }
}
