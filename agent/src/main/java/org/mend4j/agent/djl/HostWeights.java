package org.mend4j.agent.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.registry.Snapshot.Shape;
import org.mend4j.runtime.edit.Fingerprint;

/**
 * Reads a host layer's weight and identifies it the way edits do: HF layout {@code [in, out]},
 * float32, {@link Fingerprint}. A DJL {@code Linear} keeps {@code [out, in]}, usually as a
 * transposed view of the HF array; {@code W^T} is read in its logical row-major order, whatever its
 * strides (checked by tests), so its fingerprint equals the checkpoint's.
 */
final class HostWeights {

  private HostWeights() {}

  /** The layer's weight, or null if it is not a block, has no such parameter or none set yet. */
  static NDArray weight(Object layer, LayerSpec spec) {
    if (!(layer instanceof Block block)) {
      return null;
    }
    Parameter p = block.getParameters().get(spec.weightParam());
    return p == null || !p.isInitialized() ? null : p.getArray();
  }

  /** The weight's HF shape, or null if it is not a matrix. */
  static Shape hfShape(NDArray weight, LayerSpec.Layout layout) {
    long[] s = weight.getShape().getShape();
    if (s.length != 2) {
      return null;
    }
    return layout == LayerSpec.Layout.OUT_IN ? new Shape(s[1], s[0]) : new Shape(s[0], s[1]);
  }

  /**
   * The weight's fingerprint in HF layout. Temporaries (a transposed view, a float32 copy) are
   * closed at once, so nothing is left in the host's weight manager.
   */
  static String fingerprint(NDArray weight, LayerSpec.Layout layout) {
    NDArray hf = layout == LayerSpec.Layout.OUT_IN ? weight.transpose() : weight;
    try {
      if (hf.getDataType() == DataType.FLOAT32) {
        return fingerprintOf(hf);
      }
      try (NDArray f32 = hf.toType(DataType.FLOAT32, true)) {
        return fingerprintOf(f32);
      }
    } finally {
      if (hf != weight) {
        hf.close();
      }
    }
  }

  /**
   * {@link Fingerprint} of a float32 HF-layout array, handing it only Java values: the runtime's
   * classes are loaded once per JVM, and this copy's DJL types are not theirs. Read in blocks of
   * rows, as the runtime reads its own, so that binding an edit does not copy every weight of its
   * shapes into the host's Java heap; a block is a view of a contiguous weight, a small copy of any
   * other, and is closed at once, so nothing is left in the host's weight manager.
   */
  private static String fingerprintOf(NDArray hf) {
    return Fingerprint.ofRowBlocks(
        hf.getShape().getShape(),
        (from, to, digest) -> {
          try (NDArray block = hf.get(from + ":" + to);
              NDArray flat = block.reshape(-1)) {
            digest.accept(flat.toByteBuffer(true));
          }
        });
  }

  /** The weight's Frobenius norm (layout does not matter), with its temporaries closed. */
  static double norm(NDArray weight) {
    try (NDArray norm = weight.norm();
        NDArray f32 = norm.toType(DataType.FLOAT32, true)) {
      return f32.getFloat();
    }
  }
}
