package org.mend4j.runtime.edit;

/**
 * What an edit may hold and change before anything applies it: every stored number finite, and no
 * weight changed by more than {@link #MAX_RELATIVE_CHANGE} times its own size. An edit file that
 * passes its digests can still be hostile (digests are recomputed as easily as they are written),
 * so these are checked on the values themselves, with a refusal that names the parameter, the
 * tensor and the value.
 */
public final class EditLimits {

  /**
   * Largest {@code ||alpha u^T delta||_F / ||W||_F}, and largest {@code ||v|| / (||k|| ||W||_F)}
   * for a key {@code k} and its value {@code v}. The shipped editor's edits of the world model stay
   * below 0.82 and 0.31 (8 refined edits of the test split, every inner weight: {@code
   * WorldEditingTest} prints them), a margin of 12; an edit file with alpha x1000, which turns
   * every answer into noise, is refused ({@code ControlHostileInputTest}).
   */
  public static final double MAX_RELATIVE_CHANGE = 10.0;

  private EditLimits() {}

  /**
   * Checks that every factor, key, value and setting of {@code edit} is finite.
   *
   * @throws IllegalArgumentException naming the parameter, tensor, index and value
   */
  public static void checkFinite(Edit edit) {
    for (ParamDelta p : edit.params()) {
      if (!Float.isFinite(p.alpha())) {
        throw new IllegalArgumentException(
            "parameter '" + p.name() + "' has alpha " + p.alpha() + " (must be finite)");
      }
      checkFinite(p, "u", p.u());
      checkFinite(p, "delta", p.delta());
      KeyValues kv = p.keyValues();
      if (kv != null) {
        checkFinite(p, "keys", kv.keys());
        checkFinite(p, "whitened_keys", kv.whitenedKeys());
        checkFinite(p, "values", kv.values()); // lambda and gate: checked by KeyValues
      }
    }
  }

  private static void checkFinite(ParamDelta p, String tensor, float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "parameter '"
                + p.name()
                + "': "
                + tensor
                + "["
                + i
                + "] is "
                + values[i]
                + " (every value must be finite)");
      }
    }
  }

  /**
   * Why {@code p} changes a weight of Frobenius norm {@code weightNorm} too much, or null if it
   * does not.
   */
  public static String changeProblem(ParamDelta p, double weightNorm) {
    double change = relativeChange(p, weightNorm);
    if (!(change <= MAX_RELATIVE_CHANGE)) {
      return String.format(
          java.util.Locale.ROOT,
          "parameter '%s' would change its weight by %.3g times the weight's own norm (alpha %s;"
              + " at most %.1f)",
          p.name(),
          change,
          p.alpha(),
          MAX_RELATIVE_CHANGE);
    }
    KeyValues kv = p.keyValues();
    if (kv == null) {
      return null;
    }
    for (int r = 0; r < kv.rows(); r++) {
      double ratio = valueRatio(p, r, weightNorm);
      if (!(ratio <= MAX_RELATIVE_CHANGE)) {
        return String.format(
            java.util.Locale.ROOT,
            "parameter '%s': value %d is %.3g times what its weight gives its key (at most %.1f)",
            p.name(),
            r,
            ratio,
            MAX_RELATIVE_CHANGE);
      }
    }
    return null;
  }

  /** {@code ||alpha u^T delta||_F / ||W||_F} for a weight of Frobenius norm {@code weightNorm}. */
  public static double relativeChange(ParamDelta p, double weightNorm) {
    return Math.abs(p.alpha()) * factorNorm(p) / weightNorm;
  }

  /** The largest {@code ||v|| / (||k|| ||W||_F)} over {@code p}'s keys (0 without keys). */
  public static double largestValueRatio(ParamDelta p, double weightNorm) {
    double largest = 0;
    KeyValues kv = p.keyValues();
    for (int r = 0; kv != null && r < kv.rows(); r++) {
      largest = Math.max(largest, valueRatio(p, r, weightNorm));
    }
    return largest;
  }

  /** {@code ||v_r|| / (||k_r|| ||W||_F)}; 0 for a zero value. */
  private static double valueRatio(ParamDelta p, int r, double weightNorm) {
    int in = (int) p.in();
    int out = (int) p.out();
    double value = norm(p.keyValues().values(), r * out, out);
    return value == 0 ? 0 : value / (norm(p.keyValues().keys(), r * in, in) * weightNorm);
  }

  /** {@code ||u^T delta||_F} without forming the product: the Gram matrices' inner product. */
  static double factorNorm(ParamDelta p) {
    int n = p.rows();
    int in = (int) p.in();
    int out = (int) p.out();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        sum += dot(p.u(), i * in, j * in, in) * dot(p.delta(), i * out, j * out, out);
      }
    }
    return Math.sqrt(Math.max(sum, 0));
  }

  private static double dot(float[] a, int i, int j, int n) {
    double s = 0;
    for (int k = 0; k < n; k++) {
      s += (double) a[i + k] * a[j + k];
    }
    return s;
  }

  private static double norm(float[] a, int from, int n) {
    return Math.sqrt(dot(a, from, from, n));
  }
}
