package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Solves {@code G M = V} for a gated Gram matrix, block by block. Gates make {@code G} sparse:
 * entry {@code (i, j)} is zero unless row j opens at key i, which happens only among keys of one
 * fact or one subject, so after grouping the rows into connected components {@code G} is block
 * diagonal and each block is solved on its own, exactly: hundreds of edits cost hundreds of tiny
 * solves instead of one cubic one. Small blocks are eliminated in Java (float64, partial pivoting);
 * a large one (ungated edits, say) goes to the engine.
 */
final class BlockSolve {

  private static final int ENGINE_BLOCK = 96;

  private BlockSolve() {}

  /**
   * {@code M = G^-1 V}.
   *
   * @param g row-major {@code [n, n]}, non-singular
   * @param v row-major {@code [n, out]}
   * @return row-major {@code [n, out]}, float32
   */
  static float[] solve(double[] g, double[] v, int n, int out, NDManager scope) {
    float[] m = new float[n * out];
    for (List<Integer> block : components(g, n)) {
      int b = block.size();
      double[] a = new double[b * b];
      double[] rhs = new double[b * out];
      for (int i = 0; i < b; i++) {
        int gi = block.get(i);
        for (int j = 0; j < b; j++) {
          a[i * b + j] = g[gi * n + block.get(j)];
        }
        System.arraycopy(v, gi * out, rhs, i * out, out);
      }
      double[] x = b > ENGINE_BLOCK ? onEngine(a, rhs, b, out, scope) : eliminate(a, rhs, b, out);
      for (int i = 0; i < b; i++) {
        int gi = block.get(i);
        for (int c = 0; c < out; c++) {
          m[gi * out + c] = (float) x[i * out + c];
        }
      }
    }
    return m;
  }

  /**
   * The connected components of the graph with an edge wherever {@code g[i, j]} or {@code g[j, i]}
   * is not 0.
   */
  private static List<List<Integer>> components(double[] g, int n) {
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (g[i * n + j] != 0 || g[j * n + i] != 0) {
          parent[root(parent, i)] = root(parent, j);
        }
      }
    }
    Map<Integer, List<Integer>> blocks = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      blocks.computeIfAbsent(root(parent, i), k -> new ArrayList<>()).add(i);
    }
    return new ArrayList<>(blocks.values());
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Gaussian elimination with partial pivoting of {@code a x = rhs}; overwrites both. */
  private static double[] eliminate(double[] a, double[] rhs, int b, int out) {
    for (int col = 0; col < b; col++) {
      int pivot = col;
      for (int r = col + 1; r < b; r++) {
        if (Math.abs(a[r * b + col]) > Math.abs(a[pivot * b + col])) {
          pivot = r;
        }
      }
      swap(a, col * b, pivot * b, b);
      swap(rhs, col * out, pivot * out, out);
      double d = a[col * b + col];
      if (d == 0) {
        throw new ArithmeticException("the composition's Gram matrix is singular");
      }
      for (int r = col + 1; r < b; r++) {
        double f = a[r * b + col] / d;
        if (f != 0) {
          for (int c = col; c < b; c++) {
            a[r * b + c] -= f * a[col * b + c];
          }
          for (int c = 0; c < out; c++) {
            rhs[r * out + c] -= f * rhs[col * out + c];
          }
        }
      }
    }
    for (int r = b - 1; r >= 0; r--) {
      for (int k = r + 1; k < b; k++) {
        double f = a[r * b + k];
        if (f != 0) {
          for (int c = 0; c < out; c++) {
            rhs[r * out + c] -= f * rhs[k * out + c];
          }
        }
      }
      double d = a[r * b + r];
      for (int c = 0; c < out; c++) {
        rhs[r * out + c] /= d;
      }
    }
    return rhs;
  }

  private static void swap(double[] x, int i, int j, int length) {
    if (i == j) {
      return;
    }
    for (int k = 0; k < length; k++) {
      double t = x[i + k];
      x[i + k] = x[j + k];
      x[j + k] = t;
    }
  }

  private static double[] onEngine(double[] a, double[] rhs, int b, int out, NDManager parent) {
    try (NDManager scope = parent.newSubManager()) {
      NDArray x =
          scope
              .create(a, new Shape(b, b))
              .inverse()
              .matMul(scope.create(rhs, new Shape(b, out)))
              .toType(DataType.FLOAT64, false);
      return x.toDoubleArray();
    }
  }
}
