package org.mend4j.runtime.mend;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * MEND's network for one weight shape {@code [in, out]} (or one weight, unshared): normalises the
 * captured factors {@code x [N, in]} and {@code delta [N, out]} and maps them through IDMLPs to the
 * pseudo-factors {@code (u~, delta~)}. With {@code combine}, one IDMLP sees {@code [x ; delta]};
 * otherwise each side has its own, or passes through ({@code x_only}, {@code delta_only}, {@code
 * one_sided}).
 */
final class GradientTransform {

  final int xDim;
  final int deltaDim;
  final RunningNorm xNorm;
  final RunningNorm deltaNorm;
  private final MendHparams hparams;
  private final Map<String, List<LowRankLayer>> mlps = new LinkedHashMap<>();

  GradientTransform(
      int xDim,
      int deltaDim,
      int modes,
      MendHparams h,
      SplittableRandom random,
      NDManager manager) {
    this.xDim = xDim;
    this.deltaDim = deltaDim;
    this.hparams = h;
    this.xNorm = new RunningNorm(xDim);
    this.deltaNorm = new RunningNorm(deltaDim);
    if (h.combine) {
      mlps.put("mlp", idMlp(xDim + deltaDim, modes, random, manager));
    } else {
      boolean transformX = !h.deltaOnly && !(h.oneSided && xDim > deltaDim);
      boolean transformDelta = !h.xOnly && !(h.oneSided && xDim <= deltaDim);
      if (transformX) {
        mlps.put("mlp1", idMlp(xDim, modes, random, manager));
      }
      if (transformDelta) {
        mlps.put("mlp2", idMlp(deltaDim, modes, random, manager));
      }
    }
  }

  private List<LowRankLayer> idMlp(int dim, int modes, SplittableRandom random, NDManager manager) {
    List<LowRankLayer> layers = new ArrayList<>();
    for (int i = 0; i <= hparams.nHidden; i++) {
      layers.add(new LowRankLayer(dim, hparams.rank, modes, hparams.init, random, manager));
    }
    return layers;
  }

  /**
   * Pseudo-factors for the non-zero rows of {@code x} and {@code delta}; in training the running
   * normalisation first absorbs those rows.
   *
   * @param factors the captured rows
   * @param mode the weight's index among the weights sharing this network
   * @param training whether to update the normalisation
   * @param scope manager for the outputs
   * @return {@code [u~ [n, in], delta~ [n, out]]}, or null if no row is non-zero
   */
  NDArray[] apply(GradientFactors factors, int mode, boolean training, NDManager scope) {
    GradientFactors rows = factors.nonZeroRows();
    if (rows.rows() == 0) {
      return null;
    }
    if (training) {
      xNorm.update(rows.x(), rows.rows());
      deltaNorm.update(rows.delta(), rows.rows());
    }
    return network(rows, scope, (layer, input) -> layer.forward(input, mode));
  }

  /**
   * Pseudo-factors of several weights sharing this network, for editing (the normalisation is left
   * as it is): the rows of all of them pass each layer in one product, so the network's weights are
   * read once per edit rather than once per weight. The values equal {@link #apply}'s up to the
   * last bits of the products (a product's rounding depends on how many rows it has).
   *
   * @param factors each weight's captured rows
   * @param modes each weight's index among the weights sharing this network
   * @return each weight's {@code [u~, delta~]}, or null where it has no non-zero row
   */
  List<NDArray[]> applyAll(List<GradientFactors> factors, int[] modes, NDManager scope) {
    List<GradientFactors> kept = factors.stream().map(GradientFactors::nonZeroRows).toList();
    GradientFactors rows = kept.stream().reduce(GradientFactors::concat).orElseThrow();
    List<NDArray[]> out = new ArrayList<>();
    if (rows.rows() == 0) {
      kept.forEach(f -> out.add(null));
      return out;
    }
    long[] rowModes = new long[rows.rows()];
    long[] ends = new long[kept.size()];
    int end = 0;
    for (int w = 0; w < kept.size(); w++) {
      Arrays.fill(rowModes, end, end + kept.get(w).rows(), modes[w]);
      end += kept.get(w).rows();
      ends[w] = end;
    }
    NDArray rowModeArray = scope.create(rowModes);
    NDArray[] all = network(rows, scope, (layer, input) -> layer.forwardRows(input, rowModeArray));
    long[] splits = Arrays.copyOf(ends, ends.length - 1);
    NDList us = all[0].split(splits, 0);
    NDList deltas = all[1].split(splits, 0);
    for (int w = 0; w < kept.size(); w++) {
      out.add(kept.get(w).rows() == 0 ? null : new NDArray[] {us.get(w), deltas.get(w)});
    }
    return out;
  }

  /** The normalised rows through the network, each layer applied by {@code layers}. */
  private NDArray[] network(
      GradientFactors rows, NDManager scope, BiFunction<LowRankLayer, NDArray, NDArray> layers) {
    float[] x = hparams.norm ? xNorm.normalise(rows.x(), rows.rows()) : rows.x();
    float[] delta = hparams.norm ? deltaNorm.normalise(rows.delta(), rows.rows()) : rows.delta();
    NDArray xIn = scope.create(x, new Shape(rows.rows(), xDim));
    NDArray deltaIn = scope.create(delta, new Shape(rows.rows(), deltaDim));
    if (hparams.combine) {
      NDArray out = run(mlps.get("mlp"), xIn.concat(deltaIn, 1), layers);
      NDList parts = out.split(new long[] {xDim}, 1);
      return new NDArray[] {parts.get(0), parts.get(1)};
    }
    return new NDArray[] {
      mlps.containsKey("mlp1") ? run(mlps.get("mlp1"), xIn, layers) : xIn,
      mlps.containsKey("mlp2") ? run(mlps.get("mlp2"), deltaIn, layers) : deltaIn
    };
  }

  private static NDArray run(
      List<LowRankLayer> layers, NDArray x, BiFunction<LowRankLayer, NDArray, NDArray> apply) {
    for (LowRankLayer layer : layers) {
      x = apply.apply(layer, x);
    }
    return x;
  }

  /** Trainable arrays under reference names relative to this transform ({@code mlp.layers.0.u}). */
  Map<String, NDArray> params() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    mlps.forEach(
        (mlp, layers) -> {
          for (int i = 0; i < layers.size(); i++) {
            String prefix = mlp + ".layers." + i + ".";
            layers.get(i).params().forEach((name, array) -> out.put(prefix + name, array));
          }
        });
    return out;
  }
}
