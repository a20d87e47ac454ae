package org.mend4j.runtime.world;

import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.train.LmTrainer;

/**
 * Model shape and training schedule of a world GPT-2. {@link #DEMO} is the shipped model; {@link
 * #TEST} is small enough for a unit test to train in well under two minutes.
 *
 * @param nEmbd width
 * @param nLayer blocks
 * @param nHead attention heads
 * @param nPositions context (world sentences and EasyEdit prompts are short)
 * @param epochs passes over the corpus
 * @param batchSize sentences per step
 * @param learningRate peak learning rate
 * @param warmupSteps linear warm-up steps
 * @param weightDecay AdamW decay
 * @param corpusFraction share of the corpus's facts trained on (1: all)
 */
public record PretrainRecipe(
    int nEmbd,
    int nLayer,
    int nHead,
    int nPositions,
    int epochs,
    int batchSize,
    double learningRate,
    int warmupSteps,
    double weightDecay,
    double corpusFraction) {

  /** The shipped demo model. */
  public static final PretrainRecipe DEMO =
      new PretrainRecipe(192, 4, 4, 64, 30, 32, 2e-3, 200, 0.1, 1);

  /** A quick model for tests. */
  public static final PretrainRecipe TEST =
      new PretrainRecipe(64, 2, 2, 64, 30, 16, 5e-3, 50, 0.0, 0.1);

  /** The recipe of a size name ({@code demo} or {@code test}). */
  public static PretrainRecipe of(String size) {
    return switch (size) {
      case "demo" -> DEMO;
      case "test" -> TEST;
      default ->
          throw new IllegalArgumentException("size must be demo or test, got '" + size + "'");
    };
  }

  /** The GPT-2 config for a tokenizer of {@code vocabSize} whose end-of-text id is {@code eos}. */
  public Gpt2Config config(int vocabSize, int eos) {
    return new Gpt2Config(
        nEmbd, nLayer, nHead, nPositions, vocabSize, 1e-5f, 4 * nEmbd, "gelu_new", true, eos);
  }

  /** The trainer's options. */
  public LmTrainer.Options options(long seed) {
    return new LmTrainer.Options(
        epochs, batchSize, learningRate, warmupSteps, weightDecay, 1.0, seed);
  }
}
