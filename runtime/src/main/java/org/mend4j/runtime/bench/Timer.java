package org.mend4j.runtime.bench;

import java.util.Arrays;

/** Times a task after warm-up and reports the median, which shrugs off a noisy neighbour. */
public final class Timer {

  private Timer() {}

  /** Median wall time in seconds of {@code runs} runs after {@code warmup} discarded runs. */
  public static double medianSeconds(int warmup, int runs, Runnable task) {
    for (int i = 0; i < warmup; i++) {
      task.run();
    }
    double[] times = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      task.run();
      times[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(times);
    return times[runs / 2];
  }
}
