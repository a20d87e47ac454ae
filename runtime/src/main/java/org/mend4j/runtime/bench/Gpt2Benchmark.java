package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.mend4j.runtime.generate.GenerationConfig;
import org.mend4j.runtime.generate.Generator;
import org.mend4j.runtime.gpt2.FunctionalGpt2;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Init;
import org.mend4j.runtime.gpt2.Gpt2Weights;

/**
 * Prompt and decode throughput of {@link FunctionalGpt2} on a randomly initialised model, beside
 * the machine's matmul peak measured in the same run.
 */
public final class Gpt2Benchmark {

  private final Gpt2Config config;
  private final int promptTokens;
  private final int decodeTokens;
  private final int runs;

  /** A benchmark of {@code config} with prompts of {@code promptTokens}. */
  public Gpt2Benchmark(Gpt2Config config, int promptTokens, int decodeTokens, int runs) {
    this.config = config;
    this.promptTokens = promptTokens;
    this.decodeTokens = decodeTokens;
    this.runs = runs;
  }

  /** GPT-2 small: 12 layers, 768 wide, 12 heads, vocabulary 50257, context 1024. */
  public static Gpt2Config gpt2Small() {
    return new Gpt2Config(768, 12, 12, 1024, 50257, 1e-5f, 3072, "gelu_new", true, 50256);
  }

  /** Runs the benchmark and returns its figures by name. */
  public Map<String, Object> run() {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights weights = Gpt2Init.initialize(config, 1, manager)) {
      FunctionalGpt2 model = new FunctionalGpt2(config);
      long[] prompt = new SplittableRandom(2).longs(promptTokens, 0, config.vocabSize()).toArray();
      double peak = MatmulPeak.gflops(manager, runs);
      double promptSeconds =
          Timer.medianSeconds(
              1,
              runs,
              () -> {
                try (NDManager scope = manager.newSubManager()) {
                  model.forward(scope.create(new long[][] {prompt}), weights).toFloatArray();
                }
              });
      Generator generator = new Generator(model, weights, manager);
      GenerationConfig decode = new GenerationConfig(decodeTokens, 1, 1, 0, 0, 1, 0, false);
      double generateSeconds =
          Timer.medianSeconds(1, runs, () -> generator.generate(prompt, decode));
      double prefillSeconds =
          Timer.medianSeconds(
              1, runs, () -> generator.generate(prompt, GenerationConfig.greedy(1)));
      double decodeSeconds = (generateSeconds - prefillSeconds) / (decodeTokens - 1);
      double promptGflop = promptFlops() / 1e9;
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("model", config.nLayer() + "x" + config.nEmbd() + " vocab " + config.vocabSize());
      result.put("prompt_tokens", promptTokens);
      result.put("matmul_peak_gflops", round(peak));
      result.put("prompt_tokens_per_s", round(promptTokens / promptSeconds));
      result.put("prompt_gflops", round(promptGflop / promptSeconds));
      result.put("prompt_fraction_of_peak", round(promptGflop / promptSeconds / peak));
      result.put("decode_tokens_per_s", round(1 / decodeSeconds));
      result.put("decode_gflops", round(decodeFlopsPerToken() / 1e9 / decodeSeconds));
      result.put(
          "decode_fraction_of_peak", round(decodeFlopsPerToken() / 1e9 / decodeSeconds / peak));
      return result;
    }
  }

  /** Matmul FLOPs of one full forward over the prompt, logits for every position included. */
  double promptFlops() {
    double t = promptTokens;
    double c = config.nEmbd();
    double perLayer = 2 * t * c * (3 * c + c + 2 * config.nInner()) + 4 * t * t * c;
    return config.nLayer() * perLayer + 2 * t * c * config.vocabSize();
  }

  /** Matmul FLOPs of one decode step at the middle of the decoded span. */
  double decodeFlopsPerToken() {
    double c = config.nEmbd();
    double position = promptTokens + decodeTokens / 2.0;
    double perLayer = 2 * c * (3 * c + c + 2 * config.nInner()) + 4 * position * c;
    return config.nLayer() * perLayer + 2 * c * config.vocabSize();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
