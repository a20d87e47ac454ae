package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The float32 matrix-multiply throughput this machine reaches through DJL right now: the best of a
 * few large square and GPT-2-shaped products. It is the denominator of every "fraction of peak" the
 * benchmarks report.
 */
public final class MatmulPeak {

  private static final int[][] SHAPES = {{1024, 1024, 1024}, {2048, 2048, 2048}, {512, 768, 3072}};

  private MatmulPeak() {}

  /** Best GFLOP/s over the probe shapes. */
  public static double gflops(NDManager parent, int runs) {
    double best = 0;
    for (int[] s : SHAPES) {
      try (NDManager scope = parent.newSubManager()) {
        NDArray a = scope.randomNormal(new Shape(s[0], s[1]));
        NDArray b = scope.randomNormal(new Shape(s[1], s[2]));
        double seconds = Timer.medianSeconds(2, runs, () -> a.matMul(b).close());
        best = Math.max(best, 2.0 * s[0] * s[1] * s[2] / seconds / 1e9);
      }
    }
    return best;
  }
}
