package org.mend4j.runtime.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/** The few statistics the benchmarks report their figures with. */
final class Figures {

  private Figures() {}

  /** The middle value (the upper one of an even count). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * The lower and upper quartiles: the medians (as {@link #median} takes them) of the lower and
   * upper halves, the middle value in both when the count is odd. Where the middle half lies is the
   * spread a median should be read with.
   */
  static double[] quartiles(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return new double[] {
      median(Arrays.copyOfRange(sorted, 0, (n + 1) / 2)),
      median(Arrays.copyOfRange(sorted, n / 2, n))
    };
  }

  /** The largest value. */
  static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  /** {@code v} to three decimals, as every figure is printed. */
  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** The machine's one-minute load average, which says how shared a run's machine was. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
