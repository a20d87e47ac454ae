package org.mend4j.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (AdamW) over named leaf arrays, updated in place after a
 * backward pass. Gradients are read from the leaves, clipped by global norm, and zeroed after each
 * step; a step whose gradients are not finite is skipped (and its gradients dropped).
 */
public final class Adam implements AutoCloseable {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final Map<String, NDArray> params;
  private final NDManager state;
  private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
  private final double weightDecay;
  private int steps;

  /**
   * Makes every array in {@code params} a gradient leaf and allocates the optimiser state.
   *
   * @param params the arrays to train, by name; updated in place
   * @param weightDecay decoupled weight decay per unit learning rate (0: plain Adam)
   * @param parent the manager under which the moments live
   */
  public Adam(Map<String, NDArray> params, double weightDecay, NDManager parent) {
    this.params = new LinkedHashMap<>(params);
    this.weightDecay = weightDecay;
    this.state = parent.newSubManager();
    params.forEach(
        (name, p) -> {
          p.setRequiresGradient(true);
          firstMoment.put(name, state.zeros(p.getShape()));
          secondMoment.put(name, state.zeros(p.getShape()));
        });
  }

  /** Number of steps taken (skipped steps excluded). */
  public int steps() {
    return steps;
  }

  /** The trained arrays by name. */
  public Map<String, NDArray> params() {
    return params;
  }

  /**
   * Clips the gradients to {@code maxNorm} (if positive), applies one update at learning rate
   * {@code lr} and zeroes the gradients.
   *
   * @return the gradient norm before clipping, or NaN if the step was skipped as non-finite
   */
  public double step(double lr, double maxNorm) {
    return step(name -> lr, maxNorm);
  }

  /**
   * Like {@link #step(double, double)} with a learning rate per parameter (parameter groups).
   *
   * @return the gradient norm before clipping, or NaN if the step was skipped as non-finite
   */
  public double step(java.util.function.ToDoubleFunction<String> lrOf, double maxNorm) {
    try (NDManager scope = state.newSubManager()) {
      Map<String, NDArray> grads = new LinkedHashMap<>();
      double squared = 0;
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray g = e.getValue().getGradient();
        g.attach(scope);
        grads.put(e.getKey(), g);
        squared += g.square().sum().getFloat();
      }
      double norm = Math.sqrt(squared);
      if (!Double.isFinite(norm)) {
        grads.values().forEach(Adam::zero);
        return Double.NaN;
      }
      double scale = maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1;
      steps++;
      double correction1 = 1 - Math.pow(BETA1, steps);
      double correction2 = 1 - Math.pow(BETA2, steps);
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        double lr = lrOf.applyAsDouble(e.getKey());
        NDArray g = grads.get(e.getKey()).mul(scale);
        NDArray m = firstMoment.get(e.getKey());
        NDArray v = secondMoment.get(e.getKey());
        m.muli(BETA1).addi(g.mul(1 - BETA1));
        v.muli(BETA2).addi(g.square().muli(1 - BETA2));
        NDArray denominator = inScope(v.div(correction2), scope).sqrt().addi(EPSILON);
        NDArray update = inScope(m.div(correction1), scope).divi(denominator);
        NDArray p = e.getValue();
        if (weightDecay > 0) {
          p.subi(inScope(p.mul(lr * weightDecay), scope));
        }
        p.subi(update.muli(lr));
        zero(grads.get(e.getKey()));
      }
      return norm;
    }
  }

  /** The moments and step count, for resuming: {@code NAME.m}, {@code NAME.v}, {@code steps}. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    firstMoment.forEach((name, m) -> out.put(name + ".m", m));
    secondMoment.forEach((name, v) -> out.put(name + ".v", v));
    return out;
  }

  /** Restores moments saved from {@link #state()} and the step count. */
  public void restore(java.util.function.Function<String, float[]> saved, int savedSteps) {
    state().forEach((name, array) -> array.set(saved.apply(name)));
    steps = savedSteps;
  }

  /** Drops accumulated gradients without updating. */
  public void zeroGradients() {
    try (NDManager scope = state.newSubManager()) {
      for (NDArray p : params.values()) {
        NDArray g = p.getGradient();
        g.attach(scope);
        zero(g);
      }
    }
  }

  /** Moves a temporary whose first operand was long-lived into the step's scope. */
  private static NDArray inScope(NDArray temporary, NDManager scope) {
    temporary.attach(scope);
    return temporary;
  }

  private static void zero(NDArray gradient) {
    gradient.set(new NDIndex("..."), 0f);
  }

  @Override
  public void close() {
    state.close();
  }
}
