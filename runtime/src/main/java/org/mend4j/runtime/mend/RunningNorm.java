package org.mend4j.runtime.mend;

/**
 * Per-feature running mean and variance (Welford), updated one row at a time while the editor
 * trains and frozen when it edits. Mirrors the reference's float32 {@code u_mean, u_s, k} buffers,
 * in float32 too, so a saved editor normalises exactly as the one that was saved.
 */
final class RunningNorm {

  final float[] mean;
  final float[] sumSquares;
  long count;

  RunningNorm(int dim) {
    this.mean = new float[dim];
    this.sumSquares = new float[dim];
  }

  /** Adds the rows of a row-major {@code [rows, dim]} matrix. */
  void update(float[] values, int rows) {
    int dim = mean.length;
    for (int r = 0; r < rows; r++) {
      count++;
      for (int j = 0; j < dim; j++) {
        float x = values[r * dim + j];
        if (count == 1) {
          mean[j] = x;
          sumSquares[j] = 0;
        } else {
          float newMean = mean[j] + (x - mean[j]) / count;
          sumSquares[j] += (x - mean[j]) * (x - newMean);
          mean[j] = newMean;
        }
      }
    }
  }

  /** Sample standard deviation per feature. */
  float[] std() {
    if (count < 2) {
      throw new IllegalStateException(
          "cannot normalise with only " + count + " samples so far (was the editor trained?)");
    }
    float[] std = new float[mean.length];
    for (int j = 0; j < std.length; j++) {
      std[j] = (float) Math.sqrt(sumSquares[j] / (count - 1));
    }
    return std;
  }

  /** {@code (x - mean) / (std + 1e-7)} for a row-major {@code [rows, dim]} matrix. */
  float[] normalise(float[] values, int rows) {
    float[] std = std();
    int dim = mean.length;
    float[] out = new float[values.length];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < dim; j++) {
        out[r * dim + j] = (values[r * dim + j] - mean[j]) / (std[j] + 1e-7f);
      }
    }
    return out;
  }

  void restore(float[] meanValues, float[] sumSquaresValues, long samples) {
    System.arraycopy(meanValues, 0, mean, 0, mean.length);
    System.arraycopy(sumSquaresValues, 0, sumSquares, 0, sumSquares.length);
    count = samples;
  }
}
