package org.mend4j.runtime.mend;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One layer of MEND's IDMLP (the reference's {@code LRLinear}): {@code pre = x V^T U^T + b}, per
 * mode {@code pre * scale[m] + shift[m]}, then {@code clamp(pre, 0) + x} (identity init) or {@code
 * clamp(pre, 0)} (xavier). Clamp, not ReLU, so the gradient at the zero-initialised start is not
 * zero.
 */
final class LowRankLayer {

  final NDArray u;
  final NDArray v;
  final NDArray bias;
  final NDArray modeScale;
  final NDArray modeShift;
  private final boolean residual;

  LowRankLayer(
      int dim, int rank, int modes, String init, SplittableRandom random, NDManager manager) {
    int mid = Math.min(rank, dim);
    float[] uValues = new float[dim * mid];
    float[] vValues = new float[mid * dim];
    if (init.equals("id")) {
      for (int i = 0; i < vValues.length; i++) {
        vValues[i] = (float) random.nextGaussian();
      }
    } else {
      fillXavier(uValues, dim, mid, Math.sqrt(2), random);
      fillXavier(vValues, mid, dim, 1, random);
    }
    this.u = manager.create(uValues, new Shape(dim, mid));
    this.v = manager.create(vValues, new Shape(mid, dim));
    this.bias = manager.zeros(new Shape(dim));
    this.modeScale = modes > 0 ? manager.ones(new Shape(modes, dim)) : null;
    this.modeShift = modes > 0 ? manager.zeros(new Shape(modes, dim)) : null;
    this.residual = init.equals("id");
  }

  private static void fillXavier(
      float[] w, int fanOut, int fanIn, double gain, SplittableRandom r) {
    double bound = gain * Math.sqrt(6.0 / (fanIn + fanOut));
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
    }
  }

  NDArray forward(NDArray x, int mode) {
    if (modeScale == null) {
      return activated(x, null, null, true);
    }
    try (NDArray scale = modeScale.get(mode);
        NDArray shift = modeShift.get(mode)) {
      return activated(x, scale, shift, true);
    }
  }

  /**
   * The layer over rows of several modes at once, {@code modes} (int64 {@code [rows]}) naming each
   * row's mode, for editing (no gradient): the same elementwise values as {@link #forward(NDArray,
   * int)} per mode, with one product over all rows, so the layer's weights are read once. Without a
   * gradient to shape, the clamp at 0 is a ReLU (the same values: PyTorch's ReLU is a clamp at 0 by
   * a scalar), a faster kernel than DJL's clip (a clamp by two tensors).
   */
  NDArray forwardRows(NDArray x, NDArray modes) {
    if (modeScale == null) {
      return activated(x, null, null, false);
    }
    try (NDArray scale = modeScale.get(modes);
        NDArray shift = modeShift.get(modes)) {
      return activated(x, scale, shift, false);
    }
  }

  /**
   * Every temporary is closed once used (the autograd graph keeps what a backward pass needs): an
   * operation on the layer's own arrays (a transpose, a mode's row) leaves its result in the
   * editor's manager, which lives as long as the editor, so unclosed they would pile up there with
   * every edit and training step.
   */
  private NDArray activated(NDArray x, NDArray scale, NDArray shift, boolean differentiable) {
    NDArray acts;
    try (NDArray pre = preActivation(x, scale, shift)) {
      acts = differentiable ? pre.clip(0f, Float.MAX_VALUE) : Activation.relu(pre);
    }
    if (!residual) {
      return acts;
    }
    try (acts) {
      return acts.add(x);
    }
  }

  private NDArray preActivation(NDArray x, NDArray scale, NDArray shift) {
    NDArray pre;
    try (NDArray transposedV = v.transpose();
        NDArray transposedU = u.transpose();
        NDArray low = x.matMul(transposedV);
        NDArray high = low.matMul(transposedU)) {
      pre = high.add(bias);
    }
    if (scale == null) {
      return pre;
    }
    try (pre;
        NDArray scaled = pre.mul(scale)) {
      return scaled.add(shift);
    }
  }

  /** Trainable arrays under the reference's names, relative to this layer. */
  Map<String, NDArray> params() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    out.put("u", u);
    out.put("v", v);
    out.put("bias", bias);
    if (modeScale != null) {
      out.put("mode_scale.weight", modeScale);
      out.put("mode_shift.weight", modeShift);
    }
    return out;
  }
}
