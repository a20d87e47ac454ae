package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.mend4j.runtime.gpt2.Gpt2Names;

/**
 * The one change to each weight that a set of active edits makes together, as factors {@code dW =
 * U^T D} (HF layout {@code [in, out]}) with an optional gate per factor row, so the forward pass
 * adds it as {@code y += g(x U^T) D} however many edits there are.
 *
 * <p>Summing MEND deltas breaks earlier edits within a handful: each delta also moves the other
 * edits' keys and every unrelated input. Edits that carry {@link KeyValues} are therefore solved
 * for jointly, as MEMIT and MALMEN do. With keys {@code K [N, in]}, whitened keys {@code U = K
 * C^-1}, values {@code V [N, out]} and per-key weights {@code Lambda}, the least-squares change
 * {@code argmin ||Lambda^-1/2 (K S - V)||^2 + ||S||_C^2} is {@code S = U^T (K U^T + Lambda)^-1 V}:
 * an {@code N x N} solve, factored like a single edit.
 *
 * <p>A gate keeps each row to the inputs it was made for: row r applies only where its coefficient
 * {@code x u_r^T} exceeds {@code tau_r} times its value at its own key ({@code k_r u_r^T}), a
 * whitened projection of the input onto the key. Unrelated inputs then see no change (whitened keys
 * of different facts are nearly orthogonal; paraphrases of one fact are not), and the solve uses
 * the same gates, so the values still hold at the keys. When a row of a later edit and a row of an
 * earlier one project strongly on each other's keys at most weights they both change, they are
 * about one fact: the later one supersedes the earlier (its values were computed on the model the
 * earlier one had changed, so they carry the fact's latest answer), and the earlier row is dropped
 * from every weight (within a batched edit, a later request supersedes an earlier one alike).
 * Deciding per row across all weights keeps the other facts of a batched edit, and of the same
 * subject, intact.
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
   * A composed change to one weight, {@code dW = u^T delta} (scales folded into {@code delta}): the
   * form composed on the Java side, as arrays, from the stored edits' {@link ParamDelta}s; the
   * runtime computes with it as one {@code gpt2.FactoredDelta}, the agent as {@code FusedFactors}.
   *
   * @param rows factor rows
   * @param in input width
   * @param out output width
   * @param u row-major {@code [rows, in]}
   * @param delta row-major {@code [rows, out]}
   * @param gate per row, the coefficient {@code x u_r^T} must exceed for that row to apply
   *     (negative infinity: always), or null when no row is gated
   * @param solvedEdits how many edits were solved for jointly (the rest were summed)
   * @param supersededRows rows dropped because a later edit covers the same fact
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

  /**
   * The whitened projection, each way, above which two gated rows at one weight are taken for one
   * fact. Measured on the world's test split (first 100 edits, every pair of the 16 that edit one
   * fact twice and of the 38 that edit two facts of one subject): one fact, median over the six
   * weights 0.73 to 0.93; two facts of one subject, at most 0.33; unrelated, 0.
   */
  static final float SAME_FACT = 0.5f;

  private EditComposition() {}

  /**
   * Composes a list of edits.
   *
   * @param edits the active edits, oldest first
   * @param mode least squares or plain sum
   * @return the composed change per canonical weight name ({@link Gpt2Names#canonical}), in the
   *     order the weights first appear
   * @throws IllegalArgumentException if two edits change one weight with different shapes
   */
  public static Map<String, Composed> compose(List<Edit> edits, Mode mode) {
    return compose(edits, (edit, p) -> Gpt2Names.canonical(p.name()), mode);
  }

  /**
   * Composes a list of edits whose changes land on weights named by {@code weightOf} (an agent keys
   * them by the host weight each is bound to).
   *
   * @return the composed change per weight key, in the order the weights first appear
   */
  public static Map<String, Composed> compose(
      List<Edit> edits, BiFunction<Edit, ParamDelta, String> weightOf, Mode mode) {
    return compose(edits, weightOf, mode, false);
  }

  /**
   * The {@code active} edits composed (least squares) without the rows that {@code revision} would
   * supersede, and without {@code revision} itself: the model a revision of a fact is best computed
   * on, where the earlier edits of that fact no longer act (as in the composition once the revision
   * is active). Null when {@code revision} supersedes no row of {@code active}.
   */
  public static Map<String, Composed> composeRevising(List<Edit> active, Edit revision) {
    List<Edit> edits = new ArrayList<>(active);
    edits.add(revision);
    return compose(edits, (edit, p) -> Gpt2Names.canonical(p.name()), Mode.LEAST_SQUARES, true);
  }

  private static Map<String, Composed> compose(
      List<Edit> edits,
      BiFunction<Edit, ParamDelta, String> weightOf,
      Mode mode,
      boolean withoutLast) {
    Map<String, List<ParamDelta>> solved = new LinkedHashMap<>();
    Map<String, List<Integer>> solvedEdit = new LinkedHashMap<>();
    Map<String, List<ParamDelta>> summed = new LinkedHashMap<>();
    for (int e = 0; e < edits.size(); e++) {
      for (ParamDelta p : edits.get(e).params()) {
        String name = weightOf.apply(edits.get(e), p);
        summed.computeIfAbsent(name, k -> new ArrayList<>());
        if (mode == Mode.LEAST_SQUARES && p.keyValues() != null) {
          solved.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
          solvedEdit.computeIfAbsent(name, k -> new ArrayList<>()).add(e);
        } else if (!(withoutLast && e == edits.size() - 1)) {
          summed.get(name).add(p);
        }
      }
    }
    Map<String, Gram> grams = new LinkedHashMap<>();
    try (NDManager scope = solved.isEmpty() ? null : NDManager.newBaseManager()) {
      solved.forEach((name, list) -> grams.put(name, new Gram(list, solvedEdit.get(name), scope)));
      Superseded dropped = superseded(edits, grams);
      if (withoutLast) {
        if (!dropped.byLast()) {
          return null;
        }
        int last = edits.size() - 1;
        Arrays.fill(dropped.dropped(), dropped.offset()[last], dropped.offset()[last + 1], true);
      }
      Map<String, Composed> out = new LinkedHashMap<>();
      for (Map.Entry<String, List<ParamDelta>> e : summed.entrySet()) {
        Gram gram = grams.get(e.getKey());
        out.put(e.getKey(), compose(e.getValue(), gram, dropped, scope));
      }
      return out;
    }
  }

  /** The stacked keys of the edits that have them, for one weight, and their gated Gram matrix. */
  private static final class Gram {
    final List<ParamDelta> deltas;
    final int n;
    final int in;
    final int out;
    final int[] editOf;
    final int[] rowOf;
    final int[] requestOf;
    final double[] g; // [i, j] = k_i C^-1 k_j^T, zero where row j's gate is closed at key i
    final float[] ratio; // [i, j] = k_i C^-1 k_j^T / k_j C^-1 k_j^T, before gating
    final double[] threshold;
    final float[] lambdas;
    final boolean gated;

    Gram(List<ParamDelta> deltas, List<Integer> editIndex, NDManager scope) {
      this.deltas = deltas;
      this.in = Math.toIntExact(deltas.get(0).in());
      this.out = Math.toIntExact(deltas.get(0).out());
      this.n = deltas.stream().mapToInt(p -> p.keyValues().rows()).sum();
      float[] keys = new float[n * in];
      float[] whitened = new float[n * in];
      float[] taus = new float[n];
      lambdas = new float[n];
      editOf = new int[n];
      rowOf = new int[n];
      requestOf = new int[n];
      int row = 0;
      for (int e = 0; e < deltas.size(); e++) {
        ParamDelta p = deltas.get(e);
        checkShape(p, in, out);
        KeyValues kv = p.keyValues();
        System.arraycopy(kv.keys(), 0, keys, row * in, kv.keys().length);
        System.arraycopy(kv.whitenedKeys(), 0, whitened, row * in, kv.whitenedKeys().length);
        Arrays.fill(lambdas, row, row + kv.rows(), kv.lambda());
        Arrays.fill(taus, row, row + kv.rows(), kv.gate());
        Arrays.fill(editOf, row, row + kv.rows(), editIndex.get(e));
        for (int r = 0; r < kv.rows(); r++) {
          rowOf[row + r] = r;
          requestOf[row + r] = kv.requests()[r];
        }
        row += kv.rows();
      }
      NDArray k = scope.create(keys, new Shape(n, in)).toType(DataType.FLOAT64, false);
      NDArray w = scope.create(whitened, new Shape(n, in)).toType(DataType.FLOAT64, false);
      g = k.matMul(w.transpose()).toDoubleArray();
      threshold = new double[n];
      boolean anyGate = false;
      for (int j = 0; j < n; j++) {
        anyGate |= taus[j] > 0;
        threshold[j] = taus[j] > 0 ? taus[j] * g[j * n + j] : Double.NEGATIVE_INFINITY;
      }
      gated = anyGate;
      ratio = new float[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          ratio[i * n + j] = (float) (g[i * n + j] / g[j * n + j]);
          if (!(g[i * n + j] > threshold[j])) {
            g[i * n + j] = 0;
          }
        }
      }
    }

    /**
     * Whether row b was asked for before row a: by an earlier edit, or an earlier request of one.
     */
    boolean earlier(int b, int a) {
      return editOf[b] < editOf[a] || (editOf[b] == editOf[a] && requestOf[b] < requestOf[a]);
    }

    /** Whether gated rows a and b each project more than {@code SAME_FACT} on the other's key. */
    boolean sameFact(int a, int b) {
      return threshold[a] > Double.NEGATIVE_INFINITY
          && threshold[b] > Double.NEGATIVE_INFINITY
          && ratio[a * n + b] > SAME_FACT
          && ratio[b * n + a] > SAME_FACT;
    }
  }

  /** Which rows of which edits are superseded. */
  private record Superseded(boolean[] dropped, int[] offset, boolean byLast) {
    boolean dropped(int edit, int row) {
      return dropped[offset[edit] + row];
    }
  }

  /**
   * The rows superseded: a row of an earlier edit that is {@linkplain Gram#sameFact one fact} with
   * a row of a later one at most of the weights both change.
   */
  private static Superseded superseded(List<Edit> edits, Map<String, Gram> grams) {
    int[] offset = new int[edits.size() + 1];
    for (int e = 0; e < edits.size(); e++) {
      int rows = 0;
      for (ParamDelta p : edits.get(e).params()) {
        rows = Math.max(rows, p.keyValues() == null ? 0 : p.keyValues().rows());
      }
      offset[e + 1] = offset[e] + rows;
    }
    int total = offset[edits.size()];
    boolean[] dropped = new boolean[total];
    if (grams.isEmpty() || total == 0) {
      return new Superseded(dropped, offset, false);
    }
    int[] shared = new int[total * total];
    int[] opened = new int[total * total];
    for (Gram gram : grams.values()) {
      int[] global = new int[gram.n];
      for (int i = 0; i < gram.n; i++) {
        global[i] = offset[gram.editOf[i]] + gram.rowOf[i];
      }
      for (int a = 0; a < gram.n; a++) {
        for (int b = 0; b < gram.n; b++) {
          if (gram.earlier(b, a)) {
            int pair = global[b] * total + global[a];
            shared[pair]++;
            opened[pair] += gram.sameFact(a, b) ? 1 : 0;
          }
        }
      }
    }
    boolean byLast = false;
    int lastFrom = offset[edits.size() - 1];
    for (int pair = 0; pair < shared.length; pair++) {
      if (2 * opened[pair] > shared[pair]) {
        dropped[pair / total] = true; // the earlier row of the pair
        byLast |= pair % total >= lastFrom && pair / total < lastFrom;
      }
    }
    return new Superseded(dropped, offset, byLast);
  }

  private static Composed compose(
      List<ParamDelta> summed, Gram gram, Superseded dropped, NDManager scope) {
    int in = gram != null ? gram.in : Math.toIntExact(summed.get(0).in());
    int out = gram != null ? gram.out : Math.toIntExact(summed.get(0).out());
    int solvedRows = gram == null ? 0 : gram.n;
    int rows = solvedRows;
    for (ParamDelta p : summed) {
      checkShape(p, in, out);
      rows += p.rows();
    }
    float[] u = new float[rows * in];
    float[] delta = new float[rows * out];
    float[] gate = gram != null && gram.gated ? new float[rows] : null;
    if (gate != null) {
      Arrays.fill(gate, Float.NEGATIVE_INFINITY);
    }
    int superseded = gram == null ? 0 : solve(gram, dropped, scope, u, delta, gate);
    int row = solvedRows;
    for (ParamDelta p : summed) {
      System.arraycopy(p.u(), 0, u, row * in, p.u().length);
      for (int i = 0; i < p.delta().length; i++) {
        delta[row * out + i] = p.alpha() * p.delta()[i];
      }
      row += p.rows();
    }
    int solvedEdits = gram == null ? 0 : gram.deltas.size();
    return new Composed(rows, in, out, u, delta, gate, solvedEdits, superseded);
  }

  /** Writes U, the solved D and the gates into the first rows; returns the rows dropped. */
  private static int solve(
      Gram gram, Superseded dropped, NDManager scope, float[] u, float[] delta, float[] gate) {
    int n = gram.n;
    int in = gram.in;
    int out = gram.out;
    double[] g = gram.g.clone();
    double[] v = new double[n * out];
    int row = 0;
    for (ParamDelta p : gram.deltas) {
      KeyValues kv = p.keyValues();
      System.arraycopy(kv.whitenedKeys(), 0, u, row * in, kv.whitenedKeys().length);
      for (int i = 0; i < kv.values().length; i++) {
        v[row * out + i] = kv.values()[i];
      }
      row += kv.rows();
    }
    int superseded = 0;
    for (int j = 0; j < n; j++) {
      boolean drop = dropped.dropped(gram.editOf[j], gram.rowOf[j]);
      if (drop) {
        superseded++;
        for (int c = 0; c < n; c++) {
          g[j * n + c] = 0;
          g[c * n + j] = 0;
        }
        g[j * n + j] = 1;
        Arrays.fill(v, j * out, (j + 1) * out, 0);
      } else {
        g[j * n + j] += gram.lambdas[j];
      }
      if (gate != null) {
        gate[j] = drop ? Float.POSITIVE_INFINITY : (float) gram.threshold[j];
      }
    }
    System.arraycopy(BlockSolve.solve(g, v, n, out, scope), 0, delta, 0, n * out);
    return superseded;
  }

  private static void checkShape(ParamDelta p, int in, int out) {
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
  }
}
