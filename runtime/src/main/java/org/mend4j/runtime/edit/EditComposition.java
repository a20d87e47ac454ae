package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one change to a weight that a set of active edits makes together, as factors {@code dW = U^T
 * D} (HF layout {@code [in, out]}), so the forward pass adds it as {@code y += (x U^T) D} however
 * many edits there are.
 *
 * <p>Summing MEND deltas breaks earlier edits within a handful (each delta also moves the other
 * edits' keys). Edits that carry {@link KeyValues} are therefore solved for jointly, as MEMIT and
 * MALMEN do: with keys {@code K [N, in]}, whitened keys {@code K C^-1}, values {@code V [N, out]}
 * and per-key weights {@code Lambda}, the change {@code S = argmin ||Lambda^-1/2 (K S - V)||^2 +
 * ||S||_C^2} is {@code C^-1 K^T (K C^-1 K^T + Lambda)^-1 V}, so {@code U = K C^-1} and {@code D =
 * (K C^-1 K^T + Lambda)^-1 V}: an {@code N x N} solve, factored like a single edit. Edits without
 * keys (files written before keys existed) are added on top as their own factors, as before.
 *
 * <p>The result is a function of the list of edits alone: disabling one edit gives exactly what
 * composing the others gives. The solve runs in float64 on DJL; the factors are float32.
 */
public final class EditComposition {

  /** How a set of edits is combined. */
  public enum Mode {
    /** Joint least squares over the keys of edits that have them (the default). */
    LEAST_SQUARES,
    /** Every edit's own factors added up (MEND's original rule; for comparison). */
    SUM
  }

  /**
   * A composed change, {@code dW = u^T delta} (scales folded into {@code delta}).
   *
   * @param rows factor rows
   * @param in input width
   * @param out output width
   * @param u row-major {@code [rows, in]}
   * @param delta row-major {@code [rows, out]}
   * @param solvedEdits how many edits were solved for jointly (the rest were summed)
   */
  public record Composed(int rows, int in, int out, float[] u, float[] delta, int solvedEdits) {}

  private EditComposition() {}

  /**
   * Composes the changes of several edits to one weight.
   *
   * @param deltas the edits' changes to that weight, all of one shape, in the edits' order
   * @param mode least squares or plain sum
   * @param scratch a manager for the solve's temporaries (closed by the caller)
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Composed compose(List<ParamDelta> deltas, Mode mode, NDManager scratch) {
    int in = Math.toIntExact(deltas.get(0).in());
    int out = Math.toIntExact(deltas.get(0).out());
    List<ParamDelta> solved = new ArrayList<>();
    List<ParamDelta> summed = new ArrayList<>();
    for (ParamDelta p : deltas) {
      if (p.in() != in || p.out() != out) {
        throw new IllegalArgumentException(
            "cannot compose '"
                + p.name()
                + "' of shape ["
                + p.in()
                + ", "
                + p.out()
                + "] with ["
                + in
                + ", "
                + out
                + "]");
      }
      (mode == Mode.LEAST_SQUARES && p.keyValues() != null ? solved : summed).add(p);
    }
    int solvedRows = solved.stream().mapToInt(p -> p.keyValues().rows()).sum();
    int rows = solvedRows + summed.stream().mapToInt(ParamDelta::rows).sum();
    float[] u = new float[rows * in];
    float[] delta = new float[rows * out];
    if (!solved.isEmpty()) {
      solve(solved, solvedRows, in, out, scratch, u, delta);
    }
    int row = solvedRows;
    for (ParamDelta p : summed) {
      System.arraycopy(p.u(), 0, u, row * in, p.u().length);
      for (int i = 0; i < p.delta().length; i++) {
        delta[row * out + i] = p.alpha() * p.delta()[i];
      }
      row += p.rows();
    }
    return new Composed(rows, in, out, u, delta, solved.size());
  }

  /** Writes {@code U = K C^-1} and {@code D = (K C^-1 K^T + Lambda)^-1 V} into u and delta. */
  private static void solve(
      List<ParamDelta> solved,
      int n,
      int in,
      int out,
      NDManager parent,
      float[] u,
      float[] delta) {
    float[] keys = new float[n * in];
    float[] values = new float[n * out];
    float[] lambdas = new float[n];
    int row = 0;
    for (ParamDelta p : solved) {
      KeyValues kv = p.keyValues();
      System.arraycopy(kv.keys(), 0, keys, row * in, kv.keys().length);
      System.arraycopy(kv.whitenedKeys(), 0, u, row * in, kv.whitenedKeys().length);
      System.arraycopy(kv.values(), 0, values, row * out, kv.values().length);
      Arrays.fill(lambdas, row, row + kv.rows(), kv.lambda());
      row += kv.rows();
    }
    try (NDManager scope = parent.newSubManager()) {
      NDArray k = scope.create(keys, new Shape(n, in)).toType(DataType.FLOAT64, false);
      NDArray w = scope.create(u, new Shape(n, in)).toType(DataType.FLOAT64, false);
      NDArray v = scope.create(values, new Shape(n, out)).toType(DataType.FLOAT64, false);
      NDArray gram = w.matMul(k.transpose());
      gram = gram.add(gram.transpose()).div(2); // K C^-1 K^T is symmetric; keep it exactly so
      NDArray lambda = scope.create(lambdas, new Shape(n)).toType(DataType.FLOAT64, false);
      gram = gram.add(scope.eye(n, n, 0, DataType.FLOAT64).mul(lambda.reshape(1, n)));
      NDArray d = gram.inverse().matMul(v).toType(DataType.FLOAT32, false);
      System.arraycopy(d.toFloatArray(), 0, delta, 0, n * out);
    }
  }
}
