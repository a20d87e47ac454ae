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
 * D} (HF layout {@code [in, out]}) with an optional gate per factor row, so the forward pass adds
 * it as {@code y += g(x U^T) D} however many edits there are.
 *
 * <p>Summing MEND deltas breaks earlier edits within a handful: each delta also moves the other
 * edits' keys and every unrelated input. Edits that carry {@link KeyValues} are therefore solved
 * for jointly, as MEMIT and MALMEN do. With keys {@code K [N, in]}, whitened keys {@code U = K
 * C^-1}, values {@code V [N, out]} and per-key weights {@code Lambda}, the least-squares change
 * {@code argmin ||Lambda^-1/2 (K S - V)||^2 + ||S||_C^2} is {@code S = U^T (K U^T + Lambda)^-1 V}:
 * an {@code N x N} solve, factored like a single edit.
 *
 * <p>A gate keeps each row to the inputs it was made for: row r applies only where its
 * coefficient {@code x u_r^T} exceeds {@code tau_r} times its value at its own key ({@code k_r
 * u_r^T}), a whitened projection of the input onto the key. Unrelated inputs then see no change at
 * all (whitened keys of different facts are nearly orthogonal; paraphrases of one fact are not),
 * and the solve uses the same gates, so the values still hold exactly at the keys. Two rows of
 * different edits that pass each other's gates are about one fact: the later edit supersedes the
 * earlier one there (its values were computed on the model the earlier one had changed, so they
 * carry the fact's latest answer), and the earlier row is dropped.
 *
 * <p>Edits without keys (files written before keys existed) are added on top as their own factors,
 * ungated, as before. Only a solve touches the engine (in a manager of its own), so summing needs
 * none. The result is a function of the ordered list of edits alone: disabling one edit gives
 * exactly what composing the others gives. The solve runs in float64; the factors are float32.
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
   * @param gate per row, the coefficient {@code x u_r^T} must exceed for that row to apply
   *     (negative infinity: always), or null when no row is gated
   * @param solvedEdits how many edits were solved for jointly (the rest were summed)
   * @param supersededRows rows dropped because a later edit's row covers the same input
   */
  public record Composed(
      int rows,
      int in,
      int out,
      float[] u,
      float[] delta,
      float[] gate,
      int solvedEdits,
      int supersededRows) {}

  private EditComposition() {}

  /**
   * Composes the changes of several edits to one weight.
   *
   * @param deltas the edits' changes to that weight, all of one shape, in the edits' order
   * @param mode least squares or plain sum
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Composed compose(List<ParamDelta> deltas, Mode mode) {
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
    boolean gated = solved.stream().anyMatch(p -> p.keyValues().gate() > 0);
    float[] gate = gated ? new float[rows] : null;
    if (gate != null) {
      Arrays.fill(gate, Float.NEGATIVE_INFINITY);
    }
    int superseded = solved.isEmpty() ? 0 : new Solve(solved, solvedRows, in, out).into(u, delta, gate);
    int row = solvedRows;
    for (ParamDelta p : summed) {
      System.arraycopy(p.u(), 0, u, row * in, p.u().length);
      for (int i = 0; i < p.delta().length; i++) {
        delta[row * out + i] = p.alpha() * p.delta()[i];
      }
      row += p.rows();
    }
    return new Composed(rows, in, out, u, delta, gate, solved.size(), superseded);
  }

  /** The joint solve over the stacked keys of the edits that have them. */
  private static final class Solve {
    private final int n;
    private final int in;
    private final int out;
    private final float[] keys;
    private final float[] whitened;
    private final float[] values;
    private final float[] lambdas;
    private final float[] taus;
    private final int[] editOf;

    Solve(List<ParamDelta> solved, int n, int in, int out) {
      this.n = n;
      this.in = in;
      this.out = out;
      keys = new float[n * in];
      whitened = new float[n * in];
      values = new float[n * out];
      lambdas = new float[n];
      taus = new float[n];
      editOf = new int[n];
      int row = 0;
      for (int e = 0; e < solved.size(); e++) {
        KeyValues kv = solved.get(e).keyValues();
        System.arraycopy(kv.keys(), 0, keys, row * in, kv.keys().length);
        System.arraycopy(kv.whitenedKeys(), 0, whitened, row * in, kv.whitenedKeys().length);
        System.arraycopy(kv.values(), 0, values, row * out, kv.values().length);
        Arrays.fill(lambdas, row, row + kv.rows(), kv.lambda());
        Arrays.fill(taus, row, row + kv.rows(), kv.gate());
        Arrays.fill(editOf, row, row + kv.rows(), e);
        row += kv.rows();
      }
    }

    /**
     * Writes {@code U} into the first n rows of u, {@code D} into those of delta and the gates
     * into gate (if not null); returns the number of superseded rows.
     */
    int into(float[] u, float[] delta, float[] gate) {
      System.arraycopy(whitened, 0, u, 0, n * in);
      try (NDManager scope = NDManager.newBaseManager()) {
        NDArray k = scope.create(keys, new Shape(n, in)).toType(DataType.FLOAT64, false);
        NDArray w = scope.create(whitened, new Shape(n, in)).toType(DataType.FLOAT64, false);
        double[] g = k.matMul(w.transpose()).toDoubleArray(); // [i, j] = k_i C^-1 k_j^T
        double[] v = scope.create(values, new Shape(n, out)).toType(DataType.FLOAT64, false)
            .toDoubleArray();
        double[] threshold = new double[n];
        for (int j = 0; j < n; j++) {
          threshold[j] = taus[j] > 0 ? taus[j] * g[j * n + j] : Double.NEGATIVE_INFINITY;
        }
        if (gate != null) {
          for (int j = 0; j < n; j++) {
            gate[j] = (float) threshold[j];
          }
        }
        boolean[] dropped = new boolean[n];
        int superseded = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            boolean fires = g[i * n + j] > threshold[j];
            if (!fires) {
              g[i * n + j] = 0;
            } else if (taus[j] > 0
                && taus[i] > 0
                && editOf[j] < editOf[i]
                && g[j * n + i] > threshold[i]
                && !dropped[j]) {
              dropped[j] = true; // row j, of an earlier edit, covers row i's input: superseded
              superseded++;
            }
          }
        }
        for (int j = 0; j < n; j++) {
          if (dropped[j]) {
            for (int c = 0; c < n; c++) {
              g[j * n + c] = 0;
              g[c * n + j] = 0;
            }
            g[j * n + j] = 1;
            Arrays.fill(v, j * out, (j + 1) * out, 0);
            if (gate != null) {
              gate[j] = Float.POSITIVE_INFINITY;
            }
          } else {
            g[j * n + j] += lambdas[j];
          }
        }
        NDArray gram = scope.create(g, new Shape(n, n));
        NDArray d = gram.inverse().matMul(scope.create(v, new Shape(n, out)));
        float[] solvedDelta = d.toType(DataType.FLOAT32, false).toFloatArray();
        System.arraycopy(solvedDelta, 0, delta, 0, n * out);
        return superseded;
      }
    }
  }
}
