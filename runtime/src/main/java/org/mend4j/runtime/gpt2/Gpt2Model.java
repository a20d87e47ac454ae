package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.mend4j.runtime.gpt2.tokenizer.Tokenizer;

/**
 * A checkpoint directory ready to run: its weights, its tokenizer and the model function. Closing
 * it frees the weights.
 *
 * @param dir the checkpoint directory
 * @param weights the base weights
 * @param tokenizer the directory's tokenizer (or GPT-2's own)
 * @param function the forward function for the weights' config
 */
public record Gpt2Model(Path dir, Gpt2Weights weights, Tokenizer tokenizer, FunctionalGpt2 function)
    implements AutoCloseable {

  /** Loads a checkpoint directory under {@code parent}. */
  public static Gpt2Model load(Path dir, NDManager parent) {
    return of(dir, Gpt2Checkpoint.load(dir, parent));
  }

  /**
   * The model of a checkpoint directory on weights obtained another way (shared with a host's
   * model): the tokenizer comes from the directory.
   */
  public static Gpt2Model of(Path dir, Gpt2Weights weights) {
    return new Gpt2Model(
        dir, weights, Tokenizer.forModel(dir), new FunctionalGpt2(weights.config()));
  }

  /** The model's config. */
  public Gpt2Config config() {
    return weights.config();
  }

  /** Token ids of a text, checked against the model's vocabulary. */
  public long[] encode(String text) {
    int[] ids = tokenizer.encode(text);
    long[] out = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] >= config().vocabSize()) {
        throw new IllegalArgumentException(
            "the tokenizer of "
                + dir
                + " gives id "
                + ids[i]
                + " beyond the model's vocabulary of "
                + config().vocabSize()
                + " (the checkpoint has no tokenizer files of its own?)");
      }
      out[i] = ids[i];
    }
    return out;
  }

  /** Text of token ids. */
  public String decode(long[] ids) {
    int[] ints = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ints[i] = Math.toIntExact(ids[i]);
    }
    return tokenizer.decode(ints);
  }

  @Override
  public void close() {
    weights.close();
  }
}
