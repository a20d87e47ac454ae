package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The memory read bandwidth this machine reaches through DJL right now: the time libtorch takes to
 * sum a float32 array much larger than the caches, which reads every byte once and writes nothing.
 * It is the denominator of the decode floor, because decoding one token of a model that does not
 * fit in the caches must read every weight once.
 */
final class MemoryBandwidth implements AutoCloseable {

  private final NDManager scope;
  private final NDArray array;
  private final long bytes;

  /** Allocates (and touches) an array of {@code mib} MiB under {@code parent}. */
  MemoryBandwidth(NDManager parent, int mib) {
    if (mib <= 0) {
      throw new IllegalArgumentException("the bandwidth array must have a positive size: " + mib);
    }
    this.bytes = (long) mib << 20;
    this.scope = parent.newSubManager();
    this.array = scope.ones(new Shape(bytes / Float.BYTES));
  }

  /** GB/s (10^9 bytes) of one timed sum, after one untimed one on the first call. */
  double gbPerSecond() {
    double seconds = Timer.medianSeconds(1, 1, this::sum);
    return bytes / seconds / 1e9;
  }

  private void sum() {
    try (NDArray total = array.sum()) {
      total.getFloat();
    }
  }

  @Override
  public void close() {
    scope.close();
  }
}
