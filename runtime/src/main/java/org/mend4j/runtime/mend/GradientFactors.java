package org.mend4j.runtime.mend;

/**
 * The captured factors of one weight's gradient: its input rows {@code x [rows, in]} and the loss
 * gradient with respect to its output rows {@code delta [rows, out]}, row-major; {@code sum_rows
 * x^T delta} is the weight's gradient.
 *
 * <p>Not a weight change: these are the editor's inputs, captured from a forward and backward pass;
 * the editor turns them into an edit's factors ({@code edit.ParamDelta}, the stored form of a
 * change).
 *
 * @param x input rows
 * @param delta output-gradient rows
 * @param rows number of rows
 * @param in input width
 * @param out output width
 */
record GradientFactors(float[] x, float[] delta, int rows, int in, int out) {

  /** The rows where neither x nor delta is all zero (padding and unlabelled positions). */
  GradientFactors nonZeroRows() {
    int kept = 0;
    boolean[] keep = new boolean[rows];
    for (int r = 0; r < rows; r++) {
      keep[r] = nonZero(x, r * in, in) && nonZero(delta, r * out, out);
      kept += keep[r] ? 1 : 0;
    }
    if (kept == rows) {
      return this;
    }
    float[] xs = new float[kept * in];
    float[] ds = new float[kept * out];
    int k = 0;
    for (int r = 0; r < rows; r++) {
      if (keep[r]) {
        System.arraycopy(x, r * in, xs, k * in, in);
        System.arraycopy(delta, r * out, ds, k * out, out);
        k++;
      }
    }
    return new GradientFactors(xs, ds, kept, in, out);
  }

  /** Rows of this followed by rows of {@code other}. */
  GradientFactors concat(GradientFactors other) {
    float[] xs = java.util.Arrays.copyOf(x, x.length + other.x.length);
    System.arraycopy(other.x, 0, xs, x.length, other.x.length);
    float[] ds = java.util.Arrays.copyOf(delta, delta.length + other.delta.length);
    System.arraycopy(other.delta, 0, ds, delta.length, other.delta.length);
    return new GradientFactors(xs, ds, rows + other.rows, in, out);
  }

  private static boolean nonZero(float[] values, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (values[i] != 0) {
        return true;
      }
    }
    return false;
  }
}
