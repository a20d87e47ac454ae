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
}
