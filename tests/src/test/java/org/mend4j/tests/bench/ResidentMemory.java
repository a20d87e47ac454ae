package org.mend4j.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A child service's resident memory (Linux {@code /proc/PID/status}), for benchmarks that report
 * what the agent adds to a host: its merged weights and engine factors are native memory, outside
 * the Java heap, so the process's resident set is where they show.
 */
final class ResidentMemory {

  private ResidentMemory() {}

  /** The process's resident set ({@code VmRSS}) in KiB. */
  static long kib(ProcessHandle process) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", process.pid() + "", "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for process " + process.pid());
  }

  /**
   * Per configuration: resident MiB and the difference to the first (the baseline). The Java heap
   * is part of it and grows with garbage, so differences of a few tens of MiB are noise.
   */
  static void report(Map<String, Long> kib) {
    long base = kib.values().iterator().next();
    System.out.printf("%n%-22s %14s %14s%n", "config", "resident MiB", "vs first MiB");
    kib.forEach(
        (name, k) ->
            System.out.printf("%-22s %14.1f %+14.1f%n", name, k / 1024.0, (k - base) / 1024.0));
  }
}
