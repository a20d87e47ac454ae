package org.mend4j.agent.control;

/** Times of in-process edit computations: count, sum and maximum, for the metrics. */
final class EditLatency {

  private long count;
  private double sumSeconds;
  private double maxSeconds;

  synchronized void record(long nanos) {
    double s = nanos / 1e9;
    count++;
    sumSeconds += s;
    maxSeconds = Math.max(maxSeconds, s);
  }

  synchronized long count() {
    return count;
  }

  synchronized double sumSeconds() {
    return sumSeconds;
  }

  synchronized double maxSeconds() {
    return maxSeconds;
  }
}
