package org.mend4j.runtime.edit;

/**
 * What an edit asks of one weight, in the form that lets many edits be solved for jointly instead
 * of summed: the layer's inputs where the edit must act (its keys), the same keys whitened by the
 * inverse covariance of the inputs the model must keep ({@code K C^-1}), and the change of the
 * layer's output the edit makes at each key. {@link EditComposition} finds the one weight change
 * that makes every active edit's values at its keys while changing preserved inputs as little as
 * possible.
 *
 * @param rows number of keys
 * @param keys the layer's raw inputs, row-major {@code [rows, in]}
 * @param whitenedKeys {@code keys C^-1}, row-major {@code [rows, in]}
 * @param values the output change wanted at each key (relative to the base weight), row-major
 *     {@code [rows, out]}
 * @param lambda how strongly the inputs to preserve weigh against these keys (larger: smaller
 *     changes, less reach)
 * @param gate tau: a row applies only to inputs whose whitened projection on its key is more than
 *     tau times the key's own (0: always applies); see {@link EditComposition}
 * @param requests per row, the index of the edit's request it comes from (a batched edit's later
 *     request of a fact supersedes an earlier one, as a later edit does)
 */
public record KeyValues(
    int rows,
    float[] keys,
    float[] whitenedKeys,
    float[] values,
    float lambda,
    float gate,
    int[] requests) {

  /** Keys and values of one request. */
  public KeyValues(
      int rows, float[] keys, float[] whitenedKeys, float[] values, float lambda, float gate) {
    this(rows, keys, whitenedKeys, values, lambda, gate, new int[rows]);
  }

  /** Checks that the arrays are {@code rows} rows each, lambda positive and the gate in [0, 1). */
  public KeyValues {
    if (rows <= 0
        || keys.length % rows != 0
        || whitenedKeys.length != keys.length
        || values.length % rows != 0) {
      throw new IllegalArgumentException(
          "keys, whitened keys and values must have "
              + rows
              + " rows each (got "
              + keys.length
              + ", "
              + whitenedKeys.length
              + " and "
              + values.length
              + " floats)");
    }
    checkSettings(lambda, gate);
    if (requests.length != rows) {
      throw new IllegalArgumentException(
          "a request index per row: " + rows + " rows but " + requests.length + " indices");
    }
  }

  /**
   * Checks a lambda and a gate as edits carry them.
   *
   * @throws IllegalArgumentException unless lambda is positive and finite and the gate in [0, 1)
   */
  public static void checkSettings(float lambda, float gate) {
    if (!(lambda > 0) || Float.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
    }
    if (!(gate >= 0 && gate < 1)) {
      throw new IllegalArgumentException("gate must be in [0, 1), got " + gate);
    }
  }

  /** Input width. */
  public int in() {
    return keys.length / rows;
  }

  /** Output width. */
  public int out() {
    return values.length / rows;
  }

  /** Floats stored. */
  public long storedFloats() {
    return (long) keys.length + whitenedKeys.length + values.length;
  }
}
