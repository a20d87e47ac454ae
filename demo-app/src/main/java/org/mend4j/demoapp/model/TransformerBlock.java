package org.mend4j.demoapp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm GPT-2 block: {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))}.
 *
 * <p>Inputs and outputs are those of {@link CausalSelfAttention}: the hidden states, then the
 * optional key/value cache, which passes through to the attention.
 */
public final class TransformerBlock extends AbstractBlock {

  private final LayerNorm ln1;
  private final CausalSelfAttention attn;
  private final LayerNorm ln2;
  private final Mlp mlp;

  /**
   * Creates the block with unset weights.
   *
   * @param config the network's shape
   */
  public TransformerBlock(Gpt2Config config) {
    ln1 = addChildBlock("ln_1", layerNorm(config));
    attn = addChildBlock("attn", new CausalSelfAttention(config));
    ln2 = addChildBlock("ln_2", layerNorm(config));
    mlp = addChildBlock("mlp", new Mlp(config));
  }

  static LayerNorm layerNorm(Gpt2Config config) {
    return LayerNorm.builder().optEpsilon(config.layerNormEpsilon()).build();
  }

  /** The LayerNorm before the attention. */
  public LayerNorm ln1() {
    return ln1;
  }

  /** The attention block. */
  public CausalSelfAttention attn() {
    return attn;
  }

  /** The LayerNorm before the MLP. */
  public LayerNorm ln2() {
    return ln2;
  }

  /** The MLP block. */
  public Mlp mlp() {
    return mlp;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDList attnInputs = new NDList(ln1.forward(ps, new NDList(x), training).head());
    attnInputs.addAll(inputs.subNDList(1));
    NDList attnOut = attn.forward(ps, attnInputs, training);
    x = x.add(attnOut.get(0));
    NDList normed = ln2.forward(ps, new NDList(x), training);
    x = x.add(mlp.forward(ps, normed, training).singletonOrThrow());
    NDList out = new NDList(x);
    out.addAll(attnOut.subNDList(1));
    return out;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return attn.getOutputShapes(inputShapes);
  }
}
