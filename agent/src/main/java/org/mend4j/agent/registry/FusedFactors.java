package org.mend4j.agent.registry;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * Every active edit's factors for one host weight, stacked so that the forward hook adds all of
 * them with two matrix products, whatever their number: {@code y += (x U^T) D} with {@code U^T =
 * [u_1; ...; u_k]^T} of shape {@code [in, N]} and {@code D = [alpha_1 delta_1; ...; alpha_k
 * delta_k]} of shape {@code [N, out]}, N the total number of factor rows. This is exactly {@code
 * sum_i alpha_i (x u_i^T) delta_i}.
 *
 * <p>Holds the factors as Java arrays; the forward hook keeps its engine copy in {@link
 * #realised()}, so a selection that does not change reuses it across snapshots, and, where it
 * merges them into the layer's weight, the merged weight in the {@link #mergeSlot() merge slot}
 * that the selections using these factors hold.
 */
public final class FusedFactors {

  private final String key;
  private final int in;
  private final int out;
  private final int rows;
  private final int edits;
  private volatile float[] transposedU;
  private volatile float[] scaledDelta;
  private final AtomicReference<Object> realised = new AtomicReference<>();
  private WeakReference<MergeSlot> mergeSlot = new WeakReference<>(null);

  private FusedFactors(String key, int in, int out, int rows, int edits, float[] ut, float[] d) {
    this.key = key;
    this.in = in;
    this.out = out;
    this.rows = rows;
    this.edits = edits;
    this.transposedU = ut;
    this.scaledDelta = d;
  }

  /**
   * Stacks deltas for the same weight.
   *
   * @param key identifies the contributions (edit ids and parameter names, in order)
   * @param deltas the contributions, all of one shape
   */
  static FusedFactors fuse(String key, List<ParamDelta> deltas) {
    int in = Math.toIntExact(deltas.get(0).in());
    int out = Math.toIntExact(deltas.get(0).out());
    int rows = deltas.stream().mapToInt(ParamDelta::rows).sum();
    float[] ut = new float[in * rows];
    float[] d = new float[rows * out];
    int row = 0;
    for (ParamDelta p : deltas) {
      if (p.in() != in || p.out() != out) {
        throw new IllegalArgumentException(
            "cannot stack '"
                + p.name()
                + "' of shape ["
                + p.in()
                + ", "
                + p.out()
                + "] onto ["
                + in
                + ", "
                + out
                + "]");
      }
      for (int r = 0; r < p.rows(); r++, row++) {
        for (int i = 0; i < in; i++) {
          ut[i * rows + row] = p.u()[r * in + i];
        }
        for (int j = 0; j < out; j++) {
          d[row * out + j] = p.alpha() * p.delta()[r * out + j];
        }
      }
    }
    return new FusedFactors(key, in, out, rows, deltas.size(), ut, d);
  }

  /** Identifies the contributions; equal keys mean equal factors. */
  public String key() {
    return key;
  }

  /** Input width of the weight. */
  public int in() {
    return in;
  }

  /** Output width of the weight. */
  public int out() {
    return out;
  }

  /** N, the stacked factor rows. */
  public int rows() {
    return rows;
  }

  /** How many edit deltas are stacked. */
  public int edits() {
    return edits;
  }

  /** {@code U^T}, row-major {@code [in, N]}; null once {@link #release} dropped it. */
  public float[] transposedU() {
    return transposedU;
  }

  /** {@code D} with each row scaled by its edit's alpha, row-major {@code [N, out]}; or null. */
  public float[] scaledDelta() {
    return scaledDelta;
  }

  /** The forward hook's engine copy of these factors (opaque here), or null. */
  public AtomicReference<Object> realised() {
    return realised;
  }

  /**
   * The slot for the merged weight of these factors: the one a selection still holds, else a new,
   * empty one. Held weakly here, strongly by each {@link Selection} that applies these factors.
   */
  synchronized MergeSlot mergeSlot() {
    MergeSlot slot = mergeSlot.get();
    if (slot == null) {
      slot = new MergeSlot();
      mergeSlot = new WeakReference<>(slot);
    }
    return slot;
  }

  /** Drops the Java copies once the engine copy exists. */
  public void release() {
    transposedU = null;
    scaledDelta = null;
  }
}
