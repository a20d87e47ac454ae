package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Optional;
import org.mend4j.runtime.engine.RowAttention;
import org.mend4j.runtime.engine.RowProducts;

/**
 * GPT-2 ({@code GPT2LMHeadModel}) as a function of its parameters: {@code forward(ids, params)}.
 *
 * <p>Weights come from a {@link Gpt2Params} on every call, so the same instance runs the base
 * model, the model with any set of factored edits, or a model whose weights are being trained, and
 * the computation is differentiable under a DJL {@code GradientCollector}. Temporaries attach to
 * the manager of the input ids: callers scope a call by creating the ids in a sub-manager.
 */
public final class FunctionalGpt2 {

  private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);
  private static final float GELU_CUBIC = 0.044715f;

  private final Gpt2Config config;

  /** Creates the model function for a config. */
  public FunctionalGpt2(Gpt2Config config) {
    this.config = config;
  }

  /** The config this function computes. */
  public Gpt2Config config() {
    return config;
  }

  /** Logits {@code [B, T, vocab]} of int64 ids {@code [B, T]}, without cache or hook. */
  public NDArray forward(NDArray inputIds, Gpt2Params params) {
    return logits(hidden(inputIds, params, null, LinearHook.NONE), params);
  }

  /**
   * The final hidden states {@code [B, T, n_embd]} (after {@code ln_f}) of ids {@code [B, T]} that
   * continue the sequence held in {@code cache} (null: a fresh sequence; the cache is extended in
   * place). {@code hook} sees every linear map.
   */
  public NDArray hidden(NDArray inputIds, Gpt2Params params, KvCache cache, LinearHook hook) {
    int past = cache == null ? 0 : cache.length();
    checkIds(inputIds, past);
    Pass pass = Pass.of(params, cache, hook, inputIds.getManager(), config);
    NDArray x = blocks(pass, embed(pass, inputIds, past), 0, config.nLayer(), past);
    return layerNorm(pass, x, Gpt2Names.lnF(""));
  }

  /**
   * The residual stream {@code [B, T, n_embd]} entering block {@code upTo} (the embeddings and the
   * blocks below it) of ids {@code [B, T]} of a fresh sequence. With {@link #hiddenFrom}, the part
   * of a forward pass below the first block that changes between passes is computed once.
   */
  public NDArray residual(NDArray inputIds, Gpt2Params params, int upTo, LinearHook hook) {
    checkIds(inputIds, 0);
    Pass pass = Pass.of(params, null, hook, inputIds.getManager(), config);
    return blocks(pass, embed(pass, inputIds, 0), 0, upTo, 0);
  }

  /**
   * The final hidden states of a fresh sequence from its {@link #residual} entering block {@code
   * from}: {@code hidden(ids, ...)} equals {@code hiddenFrom(residual(ids, ..., from), from, ...)},
   * bit for bit. Temporaries attach to {@code scope}; {@code residual} is left unchanged.
   */
  public NDArray hiddenFrom(
      NDArray residual, int from, Gpt2Params params, LinearHook hook, NDManager scope) {
    Pass pass = Pass.of(params, null, hook, scope, config);
    NDArray x = blocks(pass, residual, from, config.nLayer(), 0);
    return layerNorm(pass, x, Gpt2Names.lnF(""));
  }

  private void checkIds(NDArray inputIds, int past) {
    Shape shape = inputIds.getShape();
    if (shape.dimension() != 2) {
      throw new IllegalArgumentException("input ids must be [batch, tokens], got " + shape);
    }
    if (past + shape.get(1) > config.nPositions()) {
      throw new IllegalArgumentException(
          "sequence of "
              + (past + shape.get(1))
              + " tokens exceeds the model's context of "
              + config.nPositions());
    }
  }

  /** Blocks {@code from} to {@code to} (exclusive) over {@code x}, which they do not change. */
  private NDArray blocks(Pass pass, NDArray x, int from, int to, int past) {
    int tokens = (int) x.getShape().get(1);
    NDArray mask = tokens > 1 && from < to ? causalMask(pass.scope, tokens, past) : null;
    for (int layer = from; layer < to; layer++) {
      x = block(pass, layer, x, mask);
    }
    return x;
  }

  /** Logits {@code [..., vocab]} of hidden states, through the (usually tied) LM head. */
  public NDArray logits(NDArray hidden, Gpt2Params params) {
    NDArray head = params.base(Gpt2Names.LM_HEAD);
    Optional<NDArray> product =
        RowPadding.aliased(head)
            ? params
                .paddedStorage(Gpt2Names.LM_HEAD)
                .flatMap(
                    storage -> RowProducts.timesRowsOf(hidden, storage, head.getShape().get(1)))
            : RowProducts.timesRowsOf(hidden, head);
    return product.orElseGet(() -> hidden.matMul(own(head.transpose(), hidden.getManager())));
  }

  private NDArray embed(Pass pass, NDArray ids, int past) {
    Shape shape = ids.getShape();
    NDArray flat = ids.reshape(-1);
    NDArray tokens = own(pass.params.base(Gpt2Names.WTE).get(flat), pass.scope);
    NDArray positions =
        own(
            pass.params
                .base(Gpt2Names.WPE)
                .get(new NDIndex().addSliceDim(past, past + shape.get(1))),
            pass.scope);
    return pass.plus(tokens.reshape(shape.get(0), shape.get(1), config.nEmbd()), positions);
  }

  private NDArray block(Pass pass, int layer, NDArray x, NDArray mask) {
    String prefix = Gpt2Names.block(layer, "");
    NDArray attended = attention(pass, layer, layerNorm(pass, x, prefix + "ln_1."), mask);
    x = pass.plus(attended, x); // into the fresh sum: the block's input stays as it was
    return pass.plus(x, mlp(pass, prefix, layerNorm(pass, x, prefix + "ln_2.")));
  }

  private NDArray attention(Pass pass, int layer, NDArray x, NDArray mask) {
    String prefix = Gpt2Names.block(layer, "attn.");
    long batch = x.getShape().get(0);
    long tokens = x.getShape().get(1);
    NDArray projected = linear(pass, prefix + "c_attn", x);
    if (pass.cache != null && batch == 1 && tokens == 1) {
      Optional<NDArray> row = cachedRowAttention(pass, layer, projected);
      if (row.isPresent()) {
        return linear(pass, prefix + "c_proj", row.get());
      }
    }
    NDList qkv = projected.split(3, 2);
    NDArray q = heads(qkv.get(0), batch, tokens).mul(pass.attentionScale);
    NDArray k = heads(qkv.get(1), batch, tokens);
    NDArray v = heads(qkv.get(2), batch, tokens);
    if (pass.cache != null) {
      NDArray[] kv = pass.cache.append(layer, k, v);
      k = kv[0];
      v = kv[1];
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
    if (mask != null) {
      scores = pass.plus(scores, mask);
    }
    NDArray out = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3);
    return linear(pass, prefix + "c_proj", out.reshape(batch, tokens, config.nEmbd()));
  }

  /**
   * One new position of batch 1 attending over the cache in one native call ({@link RowAttention}),
   * which writes its key and value there; empty, the cache unchanged, where that does not apply.
   */
  private Optional<NDArray> cachedRowAttention(Pass pass, int layer, NDArray qkv) {
    Shape step = new Shape(1, config.nHead(), 1, config.headDim());
    NDArray[] kv = pass.cache.roomForOne(layer, step, qkv.getDataType());
    Optional<NDArray> out =
        RowAttention.attend(qkv, kv[0], kv[1], pass.cache.length(), queryScale(config));
    out.ifPresent(attended -> pass.cache.advance(layer, 1));
    return out;
  }

  /** What the queries are multiplied by: {@code 1 / sqrt(head dim)}. */
  private static float queryScale(Gpt2Config config) {
    return (float) (1 / Math.sqrt(config.headDim()));
  }

  private NDArray heads(NDArray x, long batch, long tokens) {
    return x.reshape(batch, tokens, config.nHead(), config.headDim()).transpose(0, 2, 1, 3);
  }

  private NDArray mlp(Pass pass, String prefix, NDArray x) {
    NDArray h = geluNew(pass, linear(pass, prefix + "mlp.c_fc", x));
    return linear(pass, prefix + "mlp.c_proj", h);
  }

  /** HF Conv1D: {@code y = x W + b}, plus every active factored delta, then the hook. */
  private NDArray linear(Pass pass, String name, NDArray x) {
    String weight = name + ".weight";
    NDArray w = pass.params.base(weight);
    NDArray b = pass.params.base(name + ".bias");
    NDArray y =
        rowProduct(x, w, pass.params.paddedStorage(weight), b)
            .orElseGet(() -> pass.plus(x.matMul(w), b));
    for (FactoredDelta delta : pass.params.deltas(weight)) {
      y = pass.plus(y, delta.apply(x));
    }
    return pass.hook.onLinear(weight, x, y);
  }

  /**
   * {@code x w + b} by {@link RowProducts} where it applies; a matrix {@link Gpt2Weights} serves as
   * a view of a padded buffer ({@link RowPadding}) is read through that buffer, {@code storage},
   * and never through the view, which it could only read as a copy. Empty for a padded matrix whose
   * buffer is not known.
   */
  public static Optional<NDArray> rowProduct(
      NDArray x, NDArray w, Optional<NDArray> storage, NDArray b) {
    if (!RowPadding.aliased(w)) {
      return RowProducts.timesMatrix(x, w, b);
    }
    return storage.flatMap(padded -> RowProducts.timesMatrix(x, padded, w.getShape().get(1), b));
  }

  private NDArray layerNorm(Pass pass, NDArray x, String prefix) {
    return LayerNorm.layerNorm(
            x,
            new Shape(config.nEmbd()),
            pass.params.base(prefix + "weight"),
            pass.params.base(prefix + "bias"),
            config.layerNormEpsilon())
        .singletonOrThrow();
  }

  /**
   * GPT-2's {@code gelu_new}, {@code 0.5 x (1 + tanh(c (x + 0.044715 x^3)))} with {@code c =
   * sqrt(2/pi)}, computed as {@code x sigmoid(x (root + slope x^2))} ({@code 1 + tanh z = 2
   * sigmoid(2z)}, so {@code root = 2c} and {@code slope = 2c 0.044715}): six elementwise ops
   * instead of nine, and no cancellation in {@code 1 + tanh} for large negative inputs.
   */
  private static NDArray geluNew(Pass pass, NDArray x) {
    NDArray z = pass.times(pass.plus(pass.times(x.mul(x), pass.geluSlope), pass.geluRoot), x);
    return pass.times(Activation.sigmoid(z), x);
  }

  /** Additive mask {@code [T, past + T]}: query i may not see keys after position past + i. */
  private static NDArray causalMask(NDManager scope, int tokens, int past) {
    int keys = past + tokens;
    float[] mask = new float[tokens * keys];
    for (int i = 0; i < tokens; i++) {
      for (int j = past + i + 1; j < keys; j++) {
        mask[i * keys + j] = -Float.MAX_VALUE;
      }
    }
    return scope.create(mask, new Shape(tokens, keys));
  }

  /** Moves an array whose first operand was a weight out of the weights' manager. */
  private static NDArray own(NDArray array, NDManager scope) {
    array.attach(scope);
    return array;
  }

  /**
   * The per-call state threaded through one forward pass, with the scalars its ops use, created
   * once per pass in its scope (see {@link Scalars} for why they live there).
   *
   * <p>When no gradient is being recorded (PyTorch's grad mode is off, as in inference outside a
   * {@code GradientCollector}), the elementwise ops of the pass write into their first operand, a
   * fresh intermediate nobody else holds: no backward pass can need its old value, and the write
   * stays in the cache where a new array would first have to be brought in (a 128-token prompt of
   * GPT-2 small spends about a fifth of its time outside the matrix products otherwise). Recording,
   * every op allocates its result, as autograd needs.
   */
  private record Pass(
      Gpt2Params params,
      KvCache cache,
      LinearHook hook,
      NDManager scope,
      boolean recording,
      NDArray attentionScale,
      NDArray geluSlope,
      NDArray geluRoot) {

    /** {@code fresh + other}, into {@code fresh} unless recording. */
    NDArray plus(NDArray fresh, NDArray other) {
      return recording ? fresh.add(other) : fresh.addi(other);
    }

    /** {@code fresh * other}, into {@code fresh} unless recording. */
    NDArray times(NDArray fresh, NDArray other) {
      return recording ? fresh.mul(other) : fresh.muli(other);
    }

    static Pass of(
        Gpt2Params params, KvCache cache, LinearHook hook, NDManager scope, Gpt2Config config) {
      return new Pass(
          params,
          cache,
          hook,
          scope,
          JniUtils.isGradMode(),
          scope.create(queryScale(config)),
          scope.create(2 * GELU_C * GELU_CUBIC),
          scope.create(2 * GELU_C));
    }
  }
}
