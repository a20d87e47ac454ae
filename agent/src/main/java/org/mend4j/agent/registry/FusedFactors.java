package org.mend4j.agent.registry;

import java.lang.ref.WeakReference;
import org.mend4j.runtime.edit.EditComposition;

/**
 * Every active edit's change to one host weight, composed ({@link EditComposition}) into factors
 * that the forward hook adds with two matrix products, whatever their number: {@code y += (x U^T)
 * D} with {@code U^T} of shape {@code [in, N]} and {@code D} of shape {@code [N, out]}. For edits
 * with keys, U holds their whitened keys and D the jointly solved values; an edit without keys
 * contributes its own rows {@code u_i} and {@code alpha_i delta_i}, so a set of such edits adds up
 * exactly to {@code sum_i alpha_i (x u_i^T) delta_i}, as before. Rows of composed edits are gated:
 * {@code y += g(x U^T) D}, row r counting only where its coefficient exceeds its gate.
 *
 * <p>This is the agent's form of a change composed on the Java side: the runtime's {@link
 * EditComposition.Composed} for one host weight, with {@code U} transposed and keyed for the
 * caches; the stored edits are {@code ParamDelta}s, the form on the device is the {@code djl}
 * package's {@code DeviceFactors}.
 *
 * <p>Holds the factors as Java arrays; each copy of DJL in the JVM keeps its engine copy keyed by
 * this object, so a selection that does not change reuses it across snapshots, and, where it merges
 * them into the layer's weight, the merged weight keyed by the {@link #mergeSlot() merge slot} that
 * the selections using these factors hold.
 */
public final class FusedFactors {

  private final String key;
  private final int in;
  private final int out;
  private final int rows;
  private final int edits;
  private volatile float[] transposedU;
  private volatile float[] scaledDelta;
  private volatile float[] gate;
  private final boolean gated;
  private WeakReference<MergeSlot> mergeSlot = new WeakReference<>(null);

  private FusedFactors(
      String key, int in, int out, int rows, int edits, float[] ut, float[] d, float[] gate) {
    this.key = key;
    this.in = in;
    this.out = out;
    this.rows = rows;
    this.edits = edits;
    this.transposedU = ut;
    this.scaledDelta = d;
    this.gate = gate;
    this.gated = gate != null;
  }

  /**
   * The factors of one weight's composed change.
   *
   * @param key identifies the contributions (the host weight and every selected edit, in order)
   * @param c the composed change
   * @param edits how many edits change this weight
   */
  static FusedFactors of(String key, EditComposition.Composed c, int edits) {
    int in = c.in();
    int rows = c.rows();
    float[] ut = new float[in * rows];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < in; i++) {
        ut[i * rows + r] = c.u()[r * in + i];
      }
    }
    return new FusedFactors(key, in, c.out(), rows, edits, ut, c.delta(), c.gate());
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

  /** How many edits change this weight. */
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

  /**
   * Whether rows are gated ({@code y += g(x U^T) D}, see {@link EditComposition}): such factors are
   * not linear in x, so they are never merged into the weight nor multiplied out.
   */
  public boolean gated() {
    return gated;
  }

  /** Per row, the coefficient {@code x u_r^T} must exceed to apply; null if ungated or released. */
  public float[] gate() {
    return gate;
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

  /** Drops the Java copies once the engine copy exists (the JVM holding one copy of DJL). */
  public void release() {
    transposedU = null;
    scaledDelta = null;
    gate = null;
  }
}
