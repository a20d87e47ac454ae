package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.mend4j.runtime.generate.GenerationConfig;
import org.mend4j.runtime.generate.Generator;
import org.mend4j.runtime.gpt2.FunctionalGpt2;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Init;
import org.mend4j.runtime.gpt2.Gpt2Weights;
import org.mend4j.runtime.gpt2.HostCopy;

/**
 * Prompt and decode throughput of {@link FunctionalGpt2} on a randomly initialised model, beside
 * the machine's limits measured in the same run: prompt processing against the float32 matmul peak,
 * decoding against its floor (the bytes a step must read over the memory bandwidth).
 *
 * <p>The four are measured in interleaved rounds, so a neighbour's load falls on all of them alike;
 * the limits are the best round (what the machine can do), the work is the median round.
 */
public final class Gpt2Benchmark {

  private final Gpt2Config config;
  private final int promptTokens;
  private final int decodeTokens;
  private final int rounds;
  private final int bandwidthMib;

  /**
   * A benchmark of {@code config}: a forward over a prompt of {@code promptTokens}, greedy decoding
   * of {@code decodeTokens} after it, {@code rounds} rounds, bandwidth read on an array of {@code
   * bandwidthMib} MiB.
   */
  public Gpt2Benchmark(
      Gpt2Config config, int promptTokens, int decodeTokens, int rounds, int bandwidthMib) {
    if (promptTokens < 1 || decodeTokens < 2 || rounds < 1) {
      throw new IllegalArgumentException(
          "bench gpt2 needs a prompt token, two decoded tokens and a round; got "
              + promptTokens
              + ", "
              + decodeTokens
              + ", "
              + rounds);
    }
    this.config = config;
    this.promptTokens = promptTokens;
    this.decodeTokens = decodeTokens;
    this.rounds = rounds;
    this.bandwidthMib = bandwidthMib;
  }

  /** GPT-2 small: 12 layers, 768 wide, 12 heads, vocabulary 50257, context 1024. */
  public static Gpt2Config gpt2Small() {
    return new Gpt2Config(768, 12, 12, 1024, 50257, 1e-5f, 3072, "gelu_new", true, 50256);
  }

  /** Runs the benchmark and returns its figures by name. */
  public Map<String, Object> run() {
    double loadBefore = Figures.loadAverage();
    double[] peak = new double[rounds];
    double[] bandwidth = new double[rounds];
    double[] prompt = new double[rounds];
    double[] decode = new double[rounds];
    double[] products = new double[rounds];
    long productBytes;
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights weights = Gpt2Init.initialize(config, 1, manager);
        MemoryBandwidth memory = new MemoryBandwidth(manager, bandwidthMib);
        WeightProducts weightProducts = new WeightProducts(config, weights, manager)) {
      productBytes = weightProducts.bytes();
      FunctionalGpt2 model = new FunctionalGpt2(config);
      long[] ids = new SplittableRandom(2).longs(promptTokens, 0, config.vocabSize()).toArray();
      Generator generator = new Generator(model, weights, manager);
      GenerationConfig greedy = new GenerationConfig(decodeTokens, 1, 1, 0, 0, 1, 0, false);
      Runnable forward =
          () -> {
            try (NDManager scope = manager.newSubManager()) {
              HostCopy.floats(model.forward(scope.create(new long[][] {ids}), weights));
            }
          };
      Runnable generate = () -> generator.generate(ids, greedy);
      Runnable prefill = () -> generator.generate(ids, GenerationConfig.greedy(1));
      for (int r = 0; r < rounds; r++) {
        peak[r] = MatmulPeak.gflops(manager, 1);
        bandwidth[r] = memory.gbPerSecond();
        prompt[r] = Timer.medianSeconds(r == 0 ? 1 : 0, 1, forward);
        double all = Timer.medianSeconds(r == 0 ? 1 : 0, 1, generate);
        decode[r] = (all - Timer.medianSeconds(r == 0 ? 1 : 0, 1, prefill)) / (decodeTokens - 1);
        products[r] = Timer.medianSeconds(r == 0 ? 1 : 0, 1, weightProducts::run);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("model", config.nLayer() + "x" + config.nEmbd() + " vocab " + config.vocabSize());
    result.put("prompt_tokens", promptTokens);
    result.put("decode_tokens", decodeTokens);
    result.put("rounds", rounds);
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("torch_threads", JniUtils.getNumThreads());
    result.put("torch_interop_threads", JniUtils.getNumInteropThreads());
    result.put("load_average_before", Figures.round(loadBefore));
    result.put("load_average_after", Figures.round(Figures.loadAverage()));
    result.put("bandwidth_array_mib", bandwidthMib);
    result.putAll(
        figures(
            Figures.max(peak),
            Figures.max(bandwidth),
            Figures.median(prompt),
            Figures.median(decode),
            productBytes,
            Figures.median(products)));
    return result;
  }

  /**
   * The figures of one run from its measured limits and median times (seconds), and the bytes and
   * median time of the decode step's {@link WeightProducts} alone.
   */
  Map<String, Object> figures(
      double peakGflops,
      double bandwidthGbPerS,
      double promptSeconds,
      double decodeSeconds,
      long productBytes,
      double productSeconds) {
    double promptGflops = Gpt2Work.promptFlops(config, promptTokens) / 1e9 / promptSeconds;
    double keys = Gpt2Work.meanDecodeKeys(promptTokens, decodeTokens);
    double decodeBytes = Gpt2Work.decodeBytes(config, keys);
    double floorSeconds = decodeBytes / 1e9 / bandwidthGbPerS;
    double decodeGflops = Gpt2Work.decodeFlops(config, keys) / 1e9 / decodeSeconds;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("matmul_peak_gflops", Figures.round(peakGflops));
    result.put("memory_bandwidth_gb_per_s", Figures.round(bandwidthGbPerS));
    result.put("prompt_ms", Figures.round(promptSeconds * 1e3));
    result.put("prompt_tokens_per_s", Figures.round(promptTokens / promptSeconds));
    result.put("prompt_gflops", Figures.round(promptGflops));
    result.put("prompt_fraction_of_peak", Figures.round(promptGflops / peakGflops));
    result.put("decode_ms_per_token", Figures.round(decodeSeconds * 1e3));
    result.put("decode_tokens_per_s", Figures.round(1 / decodeSeconds));
    result.put("decode_mb_per_token", Figures.round(decodeBytes / 1e6));
    result.put("decode_gb_per_s", Figures.round(decodeBytes / 1e9 / decodeSeconds));
    result.put("decode_floor_ms_per_token", Figures.round(floorSeconds * 1e3));
    result.put("decode_fraction_of_floor", Figures.round(floorSeconds / decodeSeconds));
    result.put("decode_gflops", Figures.round(decodeGflops));
    result.put("decode_fraction_of_peak", Figures.round(decodeGflops / peakGflops));
    double productGbPerS = productBytes / 1e9 / productSeconds;
    result.put("products_ms_per_token", Figures.round(productSeconds * 1e3));
    result.put("products_gb_per_s", Figures.round(productGbPerS));
    result.put("products_fraction_of_bandwidth", Figures.round(productGbPerS / bandwidthGbPerS));
    result.put("decode_fraction_of_products", Figures.round(productSeconds / decodeSeconds));
    return result;
  }
}
