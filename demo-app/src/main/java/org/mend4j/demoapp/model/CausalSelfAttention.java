package org.mend4j.demoapp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * GPT-2's masked multi-head self-attention, with an optional key/value cache.
 *
 * <p>Input: {@code x [B,T,C]}, optionally followed by the cached {@code keys [B,H,P,D]} and {@code
 * values [B,H,P,D]} of the P earlier positions. Output: {@code y [B,T,C]}, then the keys and values
 * of all P+T positions, which the caller keeps for the next step. Query t attends to every key up
 * to position P+t.
 */
public final class CausalSelfAttention extends AbstractBlock {

  private final int heads;
  private final int width;
  private final Linear cAttn;
  private final Linear cProj;

  /**
   * Creates the block; its projections get their weights from the checkpoint loader.
   *
   * @param config the network's shape
   */
  public CausalSelfAttention(Gpt2Config config) {
    heads = config.nHead();
    width = config.nEmbd();
    cAttn = addChildBlock("c_attn", Linear.builder().setUnits(3L * width).build());
    cProj = addChildBlock("c_proj", Linear.builder().setUnits(width).build());
  }

  /** The query/key/value projection {@code attn.c_attn}. */
  public Linear cAttn() {
    return cAttn;
  }

  /** The output projection {@code attn.c_proj}. */
  public Linear cProj() {
    return cProj;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    long batch = x.getShape().get(0);
    long steps = x.getShape().get(1);
    NDList qkv = cAttn.forward(ps, new NDList(x), training).singletonOrThrow().split(3, 2);
    NDArray q = splitHeads(qkv.get(0));
    NDArray k = splitHeads(qkv.get(1));
    NDArray v = splitHeads(qkv.get(2));
    if (inputs.size() == 3) {
      k = NDArrays.concat(new NDList(inputs.get(1), k), 2);
      v = NDArrays.concat(new NDList(inputs.get(2), v), 2);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(width / heads));
    if (steps > 1) {
      scores = maskFuture(scores, steps, k.getShape().get(2));
    }
    NDArray y = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, steps, width);
    NDArray out = cProj.forward(ps, new NDList(y), training).singletonOrThrow();
    return new NDList(out, k, v);
  }

  /** {@code [B,T,C] -> [B,H,T,D]}. */
  private NDArray splitHeads(NDArray a) {
    Shape s = a.getShape();
    return a.reshape(s.get(0), s.get(1), heads, width / heads).transpose(0, 2, 1, 3);
  }

  /**
   * Pushes the score of query t for every key after position P+t down to float32's minimum, as the
   * reference does, so softmax gives those keys exactly zero weight. (DJL's {@code where} does not
   * broadcast, so the mask is added.)
   */
  private static NDArray maskFuture(NDArray scores, long steps, long keys) {
    NDManager m = scores.getManager();
    long past = keys - steps;
    NDArray keyPos = m.arange(0, (int) keys, 1, DataType.INT64).reshape(1, keys);
    NDArray queryPos = m.arange((int) past, (int) keys, 1, DataType.INT64).reshape(steps, 1);
    NDArray future = keyPos.gt(queryPos).toType(DataType.FLOAT32, false);
    return scores.add(future.mul(-Float.MAX_VALUE));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    long past = inputShapes.length == 3 ? inputShapes[1].get(2) : 0;
    Shape cache = new Shape(x.get(0), heads, past + x.get(1), width / heads);
    return new Shape[] {x, cache, cache};
  }
}
