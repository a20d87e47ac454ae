package org.mend4j.agent.djl;

import org.mend4j.agent.registry.Snapshot.Shape;

/**
 * What the agent knows about one host layer instance: its weight's HF shape and, only if some edit
 * has that shape, its fingerprint. Holds no reference to the layer, so caching it never keeps the
 * host's objects alive.
 */
public final class LayerState {

  private volatile boolean prepared;
  private volatile Shape shape;
  private volatile String fingerprint;
  private volatile double weightNorm = Double.NaN;
  private volatile boolean linearLayout;
  private volatile boolean mergeFailed;

  /** Whether the weight has been read (it is set: the layer has run or was initialised). */
  public boolean prepared() {
    return prepared;
  }

  /** The weight's HF shape {@code [in, out]}; null until prepared. */
  public Shape shape() {
    return shape;
  }

  /** The weight's fingerprint in HF layout; null until some edit needed it. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The weight's Frobenius norm; NaN until its fingerprint was computed. */
  public double weightNorm() {
    return weightNorm;
  }

  /**
   * Whether the layer's weight is read as DJL's {@code Linear} computes with it: parameter {@code
   * weight}, stored {@code [out, in]}. Only then may the forward hook compute the layer itself with
   * a merged weight.
   */
  public boolean linearLayout() {
    return linearLayout;
  }

  /** Whether the merged fast path failed on this layer (it then keeps to the factored path). */
  public boolean mergeFailed() {
    return mergeFailed;
  }

  /** Marks that the merged fast path failed on this layer. */
  public void markMergeFailed() {
    mergeFailed = true;
  }

  void prepared(Shape value) {
    prepared(value, false);
  }

  void prepared(Shape value, boolean linear) {
    shape = value;
    linearLayout = linear;
    prepared = true;
  }

  void fingerprint(String value, double norm) {
    weightNorm = norm;
    fingerprint = value;
  }
}
