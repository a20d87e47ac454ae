package org.mend4j.demoapp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * GPT-2 language model ({@code GPT2LMHeadModel}) as a DJL block.
 *
 * <p>Input: token ids {@code [B,T]} (int64), optionally followed by the cache of an earlier call:
 * keys and values of every layer, in layer order ({@code k0, v0, k1, v1, ...}). Output: logits
 * {@code [B,T,vocab]}, then the updated cache in the same layout. The LM head is the token
 * embedding (tied) unless the checkpoint has its own {@code lm_head.weight}.
 */
public final class Gpt2Model extends AbstractBlock {

  private final Gpt2Config config;
  private final Parameter wte;
  private final Parameter wpe;
  private final Parameter lmHead;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm lnF;

  /**
   * Creates the network with unset weights; {@link CheckpointLoader} fills them.
   *
   * @param config the network's shape
   */
  public Gpt2Model(Gpt2Config config) {
    this.config = config;
    wte = addParameter(Parameter.builder().setName("wte").setType(Parameter.Type.WEIGHT).build());
    wpe = addParameter(Parameter.builder().setName("wpe").setType(Parameter.Type.WEIGHT).build());
    lmHead =
        addParameter(Parameter.builder().setName("lm_head").setType(Parameter.Type.WEIGHT).build());
    for (int i = 0; i < config.nLayer(); i++) {
      blocks.add(addChildBlock("h" + i, new TransformerBlock(config)));
    }
    lnF = addChildBlock("ln_f", TransformerBlock.layerNorm(config));
  }

  /** The network's shape. */
  public Gpt2Config config() {
    return config;
  }

  /** Token embedding {@code [vocab, C]}. */
  public Parameter wte() {
    return wte;
  }

  /** Position embedding {@code [n_positions, C]}. */
  public Parameter wpe() {
    return wpe;
  }

  /** LM head {@code [vocab, C]}: the token embedding's array when tied. */
  public Parameter lmHead() {
    return lmHead;
  }

  /** The transformer blocks, in order. */
  public List<TransformerBlock> blocks() {
    return Collections.unmodifiableList(blocks);
  }

  /** The final LayerNorm. */
  public LayerNorm lnF() {
    return lnF;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.get(0);
    boolean cached = inputs.size() > 1;
    long past = cached ? inputs.get(1).getShape().get(2) : 0;
    long steps = ids.getShape().get(1);
    if (past + steps > config.nPositions()) {
      throw new IllegalArgumentException(
          "sequence of " + (past + steps) + " tokens exceeds n_positions " + config.nPositions());
    }
    NDArray positions =
        ids.getManager().arange((int) past, (int) (past + steps), 1, DataType.INT64);
    NDArray x = embed(ps, ids, wte, training).add(embed(ps, positions, wpe, training));
    NDList cache = new NDList();
    for (int i = 0; i < blocks.size(); i++) {
      NDList blockInputs = new NDList(x);
      if (cached) {
        blockInputs.addAll(inputs.subNDList(1 + 2 * i, 3 + 2 * i));
      }
      NDList out = blocks.get(i).forward(ps, blockInputs, training);
      x = out.get(0);
      cache.addAll(out.subNDList(1));
    }
    x = lnF.forward(ps, new NDList(x), training).singletonOrThrow();
    NDArray head = ps.getValue(lmHead, x.getDevice(), training);
    NDList out = Linear.linear(x, head);
    out.addAll(cache);
    return out;
  }

  /** Looks rows up; the result belongs to the ids' manager, not to the weight's. */
  private static NDArray embed(ParameterStore ps, NDArray ids, Parameter table, boolean training) {
    NDArray weight = ps.getValue(table, ids.getDevice(), training);
    return Embedding.embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    long past = inputShapes.length > 1 ? inputShapes[1].get(2) : 0;
    Shape[] out = new Shape[1 + 2 * blocks.size()];
    out[0] = new Shape(ids.get(0), ids.get(1), config.vocabSize());
    Shape cache = new Shape(ids.get(0), config.nHead(), past + ids.get(1), config.headDim());
    for (int i = 1; i < out.length; i++) {
      out[i] = cache;
    }
    return out;
  }
}
