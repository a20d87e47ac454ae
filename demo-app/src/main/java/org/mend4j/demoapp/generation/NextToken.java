package org.mend4j.demoapp.generation;

import java.util.SplittableRandom;

/**
 * Chooses the next token from the logits of the last position.
 *
 * <p>Greedy decoding takes the argmax (the first one on ties, like {@code torch.argmax}); sampling
 * draws from {@code softmax(logits / temperature)} with a seeded generator, so the same seed gives
 * the same text.
 */
@FunctionalInterface
public interface NextToken {

  /**
   * Picks a token id.
   *
   * @param logits the logits over the vocabulary
   * @return the chosen id
   */
  int choose(float[] logits);

  /** The most likely token. */
  static NextToken greedy() {
    return NextToken::argmax;
  }

  /**
   * A token drawn from the temperature-scaled distribution.
   *
   * @param temperature positive; higher is more random
   * @param seed the random generator's seed
   * @return a chooser that keeps its own random state for one generation
   */
  static NextToken sampled(double temperature, long seed) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be positive and finite: " + temperature);
    }
    SplittableRandom random = new SplittableRandom(seed);
    return logits -> {
      float max = logits[argmax(logits)];
      double[] weights = new double[logits.length];
      double total = 0;
      for (int i = 0; i < logits.length; i++) {
        weights[i] = Math.exp((logits[i] - max) / temperature);
        total += weights[i];
      }
      double target = random.nextDouble() * total;
      for (int i = 0; i < weights.length; i++) {
        target -= weights[i];
        if (target < 0) {
          return i;
        }
      }
      return argmax(logits);
    };
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
