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
   * Per configuration: the service's CPU time per generated token (median over rounds), and the
   * throughput ratio it implies ({@code cpu(first) / cpu(config)}), the first configuration being
   * the baseline.
   */
  static void report(Map<String, List<Double>> msPerToken) {
    double base = Medians.of(msPerToken.values().iterator().next());
    System.out.printf(
        "%n%-22s %16s %14s  %s%n", "config", "CPU ms/token", "ratio (CPU)", "per round");
    for (Map.Entry<String, List<Double>> e : msPerToken.entrySet()) {
      StringBuilder all = new StringBuilder();
      e.getValue().forEach(v -> all.append(String.format("%.3f ", v)));
      double m = Medians.of(e.getValue());
      System.out.printf("%-22s %16.3f %14.3f  %s%n", e.getKey(), m, base / m, all);
    }
  }
}
