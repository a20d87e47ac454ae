package org.mend4j.runtime.train;

import java.util.Arrays;
import org.mend4j.runtime.gpt2.tokenizer.Tokenizer;

/**
 * A prompt and a target continuation as one token sequence, joined EasyEdit's way ({@code prompt +
 * " " + target}); the target's tokens are those after the prompt's own tokens. The model reads
 * {@link #inputs()} and is scored on predicting the target at the positions from {@code targetStart
 * - 1}.
 *
 * @param tokens the joined sequence's tokens
 * @param targetStart index of the first target token in {@code tokens}
 */
public record LabeledExample(long[] tokens, int targetStart) {

  /** Tokenizes and checks that the target adds at least one token after a non-empty prompt. */
  public static LabeledExample of(Tokenizer tokenizer, String prompt, String target) {
    int promptLength = tokenizer.encode(prompt).length;
    long[] tokens = Arrays.stream(tokenizer.encode(prompt + " " + target)).asLongStream().toArray();
    if (promptLength == 0) {
      throw new IllegalArgumentException("prompt '" + prompt + "' has no tokens");
    }
    if (tokens.length <= promptLength || target.isBlank()) {
      throw new IllegalArgumentException("target '" + target + "' adds no tokens to the prompt");
    }
    return new LabeledExample(tokens, promptLength);
  }

  /** All tokens but the last: what the model reads. */
  public long[] inputs() {
    return Arrays.copyOf(tokens, tokens.length - 1);
  }

  /** All tokens but the first: what each position should predict. */
  public long[] targets() {
    return Arrays.copyOfRange(tokens, 1, tokens.length);
  }

  /** 1 at input positions that predict a target token, else 0. */
  public float[] targetMask() {
    float[] mask = new float[tokens.length - 1];
    Arrays.fill(mask, targetStart - 1, mask.length, 1f);
    return mask;
  }

  /** Number of target tokens. */
  public int targetLength() {
    return tokens.length - targetStart;
  }

  /** The target's tokens. */
  public long[] targetTokens() {
    return Arrays.copyOfRange(tokens, targetStart, tokens.length);
  }

  /**
   * Whether greedy decoding produces the whole target, given the argmax token at every input
   * position (row-major over the {@link #inputs()} of one sequence).
   */
  public boolean predictedBy(long[] argmax) {
    for (int i = targetStart; i < tokens.length; i++) {
      if (argmax[i - 1] != tokens[i]) {
        return false;
      }
    }
    return true;
  }
}
