package org.mend4j.tests.bench;

import java.util.ArrayList;
import java.util.List;

/** The median the benchmarks report (robust to the outliers a shared machine makes). */
final class Medians {

  private Medians() {}

  static double of(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * The median of the per-round ratios {@code values[r] / base[r]}: each round against the baseline
   * measured in the same round, less sensitive than a ratio of medians to load that changes between
   * rounds.
   */
  static double ofRatios(List<Double> values, List<Double> base) {
    return of(ratios(values, base));
  }

  /** {@code values[r] / base[r]} for every round {@code r}. */
  static List<Double> ratios(List<Double> values, List<Double> base) {
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < values.size(); r++) {
      ratios.add(values.get(r) / base.get(r));
    }
    return ratios;
  }

  /**
   * The lower and upper quartiles (the medians of the lower and upper halves, the middle value in
   * both when the count is odd): where the middle half of the rounds lies, the spread a figure's
   * median should be read with.
   */
  static double[] quartiles(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return new double[] {of(sorted.subList(0, (n + 1) / 2)), of(sorted.subList(n / 2, n))};
  }
}
