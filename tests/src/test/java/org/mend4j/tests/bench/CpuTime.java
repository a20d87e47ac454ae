package org.mend4j.tests.bench;

import java.util.List;
import java.util.Map;

/**
 * A child service's CPU time, the benchmarks' steadier measure on a shared machine: unlike
 * wall-clock rates it is barely affected by other processes competing for the cores.
 */
final class CpuTime {

  private CpuTime() {}

  /** The process's CPU time so far (all its threads, user and system). */
  static long nanos(ProcessHandle process) {
    return process.info().totalCpuDuration().orElseThrow().toNanos();
  }

  /**
   * Per configuration: the service's CPU time per generated token (median over rounds), the
   * throughput ratio it implies ({@code cpu(first) / cpu(config)}), the first configuration being
   * the baseline, and the same ratio taken round by round ({@code cpu_r(first) / cpu_r(config)}:
   * its median and the quartiles of its middle half). A round's configurations run one after the
   * other, so the round ratios cancel load that changes between rounds; their spread is what this
   * machine lets a run tell apart.
   */
  static void report(Map<String, List<Double>> msPerToken) {
    List<Double> base = msPerToken.values().iterator().next();
    System.out.printf(
        "%n%-22s %16s %14s %12s %14s  %s%n",
        "config", "CPU ms/token", "ratio (CPU)", "round ratio", "middle half", "per round");
    for (Map.Entry<String, List<Double>> e : msPerToken.entrySet()) {
      StringBuilder all = new StringBuilder();
      e.getValue().forEach(v -> all.append(String.format("%.3f ", v)));
      double m = Medians.of(e.getValue());
      List<Double> rounds = Medians.ratios(base, e.getValue());
      double[] quartiles = Medians.quartiles(rounds);
      System.out.printf(
          "%-22s %16.3f %14.3f %12.3f %6.3f-%-7.3f  %s%n",
          e.getKey(), m, Medians.of(base) / m, Medians.of(rounds), quartiles[0], quartiles[1], all);
    }
  }
}
