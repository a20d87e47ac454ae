package org.mend4j.runtime.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockSolveTest {

  /** A matrix with blocks of the given sizes along a shuffled order, dominant diagonal. */
  private static double[] blocks(int[] sizes, int[] order, SplittableRandom random) {
    int n = order.length;
    double[] g = new double[n * n];
    int start = 0;
    for (int size : sizes) {
      for (int i = start; i < start + size; i++) {
        for (int j = start; j < start + size; j++) {
          g[order[i] * n + order[j]] =
              i == j ? size + 1 + random.nextDouble() : random.nextGaussian() * 0.3;
        }
      }
      start += size;
    }
    return g;
  }

  private static void assertSolves(double[] g, double[] v, float[] m, int n, int out) {
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < out; c++) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
          sum += g[i * n + k] * m[k * out + c];
        }
        assertThat(sum).isCloseTo(v[i * out + c], within(1e-4));
      }
    }
  }

  @Test
  void solvesBlockDiagonalSystemsInAnyRowOrder() {
    SplittableRandom random = new SplittableRandom(3);
    int[] sizes = {1, 4, 2, 7, 1};
    int n = 15;
    int[] order = {3, 14, 0, 9, 6, 1, 12, 5, 10, 2, 8, 13, 4, 11, 7};
    double[] g = blocks(sizes, order, random);
    int out = 5;
    double[] v = new double[n * out];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian();
    }
    try (NDManager scope = NDManager.newBaseManager()) {
      assertSolves(g, v, BlockSolve.solve(g, v.clone(), n, out, scope), n, out);
    }
  }

  @Test
  void aLargeBlockGoesToTheEngineAndIsSolvedAlike() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 120;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] g = blocks(new int[] {n}, order, random);
    double[] v = new double[n * 2];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian();
    }
    try (NDManager scope = NDManager.newBaseManager()) {
      assertSolves(g, v, BlockSolve.solve(g, v.clone(), n, 2, scope), n, 2);
    }
  }
}
