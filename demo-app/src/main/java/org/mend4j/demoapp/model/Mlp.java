package org.mend4j.demoapp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * GPT-2's position-wise feed-forward block: {@code c_proj(gelu_new(c_fc(x)))}.
 *
 * <p>GPT-2 uses the tanh approximation of GELU ("gelu_new"); DJL's {@code Activation.gelu} is the
 * exact erf form, which drifts from the reference logits, so the approximation is written out here.
 */
public final class Mlp extends AbstractBlock {

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

  private final Linear cFc;
  private final Linear cProj;

  /**
   * Creates the block; its projections get their weights from the checkpoint loader.
   *
   * @param config the network's shape
   */
  public Mlp(Gpt2Config config) {
    cFc = addChildBlock("c_fc", Linear.builder().setUnits(config.nInner()).build());
    cProj = addChildBlock("c_proj", Linear.builder().setUnits(config.nEmbd()).build());
  }

  /** The expanding projection {@code mlp.c_fc}. */
  public Linear cFc() {
    return cFc;
  }

  /** The contracting projection {@code mlp.c_proj}. */
  public Linear cProj() {
    return cProj;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray hidden = cFc.forward(ps, inputs, training).singletonOrThrow();
    return cProj.forward(ps, new NDList(geluNew(hidden)), training);
  }

  /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
  static NDArray geluNew(NDArray x) {
    NDArray inner = x.pow(3).mul(0.044715).add(x).mul(SQRT_2_OVER_PI);
    return inner.tanh().add(1).mul(x).mul(0.5);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
