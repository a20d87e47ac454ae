package org.mend4j.runtime.generate;

/**
 * How to continue a prompt. Temperature 0 with one beam is greedy decoding; more beams is beam
 * search; a positive temperature samples.
 *
 * @param maxNewTokens tokens to add at most
 * @param numBeams beams for beam search (1: no beam search)
 * @param lengthPenalty exponent of the length normalisation of finished beams
 * @param temperature softmax temperature for sampling (0: deterministic)
 * @param topK keep only the k most likely tokens when sampling (0: all)
 * @param topP keep the smallest set of tokens whose probability reaches p (1: all)
 * @param seed random seed for sampling
 * @param stopAtEndOfText stop a sequence once it emits the end-of-text token
 */
public record GenerationConfig(
    int maxNewTokens,
    int numBeams,
    double lengthPenalty,
    double temperature,
    int topK,
    double topP,
    long seed,
    boolean stopAtEndOfText) {

  /** Validates ranges. */
  public GenerationConfig {
    if (maxNewTokens < 0) {
      throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
    }
    if (numBeams < 1) {
      throw new IllegalArgumentException("num beams must be >= 1, got " + numBeams);
    }
    if (temperature < 0 || topK < 0 || topP <= 0 || topP > 1) {
      throw new IllegalArgumentException(
          "need temperature >= 0, top-k >= 0 and 0 < top-p <= 1: " + this);
    }
    if (numBeams > 1 && temperature > 0) {
      throw new IllegalArgumentException("beam search with sampling is not supported");
    }
  }

  /** Greedy decoding of up to {@code maxNewTokens}. */
  public static GenerationConfig greedy(int maxNewTokens) {
    return new GenerationConfig(maxNewTokens, 1, 1.0, 0, 0, 1.0, 0, true);
  }

  /** Beam search with HF's defaults otherwise. */
  public static GenerationConfig beams(int maxNewTokens, int numBeams, double lengthPenalty) {
    return new GenerationConfig(maxNewTokens, numBeams, lengthPenalty, 0, 0, 1.0, 0, true);
  }
}
