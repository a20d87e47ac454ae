package org.mend4j.demoapp.generation;

/**
 * Continues a prompt token by token. The HTTP layer depends only on this, so the service can
 * generate with a model built from DJL blocks ({@link Generator}) or with a traced TorchScript
 * module ({@link TorchScriptGenerator}).
 *
 * <p>Implementations are thread-safe: one instance serves every request.
 */
public interface TokenGenerator {

  /** The longest sequence, prompt and generated tokens together, the model takes. */
  int contextLength();

  /**
   * Continues a prompt until the end-of-sequence token or {@code maxNewTokens} tokens.
   *
   * @param prompt the prompt's token ids, at least one
   * @param maxNewTokens the most tokens to generate
   * @param next how to choose each token
   * @return the generated ids, without the end-of-sequence token
   * @throws IllegalArgumentException if the prompt is empty or does not fit with the new tokens
   */
  long[] generate(long[] prompt, int maxNewTokens, NextToken next);

  /** Checks that {@code prompt} and {@code maxNewTokens} new tokens fit a context of this size. */
  static void checkFits(long[] prompt, int maxNewTokens, int context) {
    if (prompt.length == 0 || prompt.length + maxNewTokens > context) {
      throw new IllegalArgumentException(
          prompt.length + " prompt tokens + " + maxNewTokens + " new ones do not fit " + context);
    }
  }
}
