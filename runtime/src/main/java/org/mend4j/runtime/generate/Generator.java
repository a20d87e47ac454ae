package org.mend4j.runtime.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.mend4j.runtime.gpt2.FunctionalGpt2;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.gpt2.HostCopy;
import org.mend4j.runtime.gpt2.KvCache;
import org.mend4j.runtime.gpt2.LinearHook;

/**
 * Continues prompts with a {@link FunctionalGpt2} on given parameters. Each decoding step runs in a
 * sub-manager of its own; only the KV cache outlives a step.
 */
public final class Generator {

  private final FunctionalGpt2 model;
  private final Gpt2Params params;
  private final NDManager root;

  /** Creates a generator; temporaries are allocated under {@code root}. */
  public Generator(FunctionalGpt2 model, Gpt2Params params, NDManager root) {
    this.model = model;
    this.params = params;
    this.root = root;
  }

  /** The prompt followed by the generated tokens. */
  public long[] generate(long[] prompt, GenerationConfig config) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("prompt has no tokens");
    }
    checkIds(prompt);
    int room = model.config().nPositions() - prompt.length;
    if (room < 0) {
      throw new IllegalArgumentException(
          "prompt of "
              + prompt.length
              + " tokens exceeds the model's context of "
              + model.config().nPositions());
    }
    GenerationConfig bounded =
        new GenerationConfig(
            Math.min(config.maxNewTokens(), room),
            config.numBeams(),
            config.lengthPenalty(),
            config.temperature(),
            config.topK(),
            config.topP(),
            config.seed(),
            config.stopAtEndOfText());
    if (bounded.numBeams() > 1) {
      return new BeamSearch(this, bounded).run(prompt);
    }
    return decode(prompt, bounded);
  }

  private void checkIds(long[] ids) {
    for (long id : ids) {
      if (id < 0 || id >= model.config().vocabSize()) {
        throw new IllegalArgumentException(
            "token id " + id + " is outside the vocabulary of " + model.config().vocabSize());
      }
    }
  }

  private long[] decode(long[] prompt, GenerationConfig config) {
    long[] out = Arrays.copyOf(prompt, prompt.length + config.maxNewTokens());
    int length = prompt.length;
    SplittableRandom random = new SplittableRandom(config.seed());
    try (KvCache cache = newCache()) {
      long[][] feed = {prompt};
      for (int step = 0; step < config.maxNewTokens(); step++) {
        float[] logits = lastLogits(feed, cache)[0];
        long next =
            config.temperature() > 0
                ? Sampler.sample(logits, config.temperature(), config.topK(), config.topP(), random)
                : argmax(logits);
        out[length++] = next;
        if (config.stopAtEndOfText() && next == model.config().eosTokenId()) {
          break;
        }
        feed = new long[][] {{next}};
      }
    }
    return Arrays.copyOf(out, length);
  }

  KvCache newCache() {
    return new KvCache(root, model.config().nLayer());
  }

  int eosTokenId() {
    return model.config().eosTokenId();
  }

  /** Feeds {@code ids} (one row per sequence) and returns each row's last-position logits. */
  float[][] lastLogits(long[][] ids, KvCache cache) {
    try (NDManager step = root.newSubManager()) {
      NDArray input = step.create(ids);
      NDArray hidden = model.hidden(input, params, cache, LinearHook.NONE);
      long tokens = hidden.getShape().get(1);
      NDArray last = hidden.get(new NDIndex().addAllDim().addSliceDim(tokens - 1, tokens));
      float[] flat = HostCopy.floats(model.logits(last, params));
      int vocab = flat.length / ids.length;
      float[][] rows = new float[ids.length][];
      for (int b = 0; b < ids.length; b++) {
        rows[b] = Arrays.copyOfRange(flat, b * vocab, (b + 1) * vocab);
      }
      return rows;
    }
  }

  /** Index of the largest value; the first one on ties, like {@code torch.argmax}. */
  static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
