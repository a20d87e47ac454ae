package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.mend4j.runtime.generate.GenerationConfig;
import org.mend4j.runtime.generate.Generator;
import org.mend4j.runtime.gpt2.Gpt2Model;

/**
 * What a user's {@code ./mend4j generate} costs per decoded token, beside the benchmark's figure
 * for the same model in the same run: whole processes at two lengths (the marginal cost of the
 * extra tokens, so start-up, loading and the prompt cancel out), and the same two lengths decoded
 * in this process as {@code bench gpt2} decodes, in interleaved rounds.
 */
public final class GenerateBenchmark {

  private final Path launcher;
  private final Path model;
  private final long[] prompt;
  private final int shortTokens;
  private final int longTokens;
  private final int rounds;

  /**
   * A benchmark of {@code launcher generate} on {@code model}, continuing {@code prompt} by {@code
   * shortTokens} and {@code longTokens}, {@code rounds} times each.
   */
  public GenerateBenchmark(
      Path launcher, Path model, long[] prompt, int shortTokens, int longTokens, int rounds) {
    if (shortTokens < 1 || longTokens <= shortTokens || rounds < 1 || prompt.length == 0) {
      throw new IllegalArgumentException(
          "bench generate needs a prompt, 1 <= short < long tokens and a round; got "
              + prompt.length
              + " prompt tokens, "
              + shortTokens
              + ", "
              + longTokens
              + ", "
              + rounds);
    }
    if (!Files.isExecutable(launcher)) {
      throw new IllegalArgumentException("no executable launcher at " + launcher);
    }
    this.launcher = launcher;
    this.model = model;
    this.prompt = prompt.clone();
    this.shortTokens = shortTokens;
    this.longTokens = longTokens;
    this.rounds = rounds;
  }

  /** A random GPT-2-small-shaped checkpoint under {@code dir}, written on first use. */
  public static Path gpt2SmallCheckpoint(Path dir) {
    return RandomCheckpoint.at(dir, Gpt2Benchmark.gpt2Small(), 1);
  }

  /** Runs the rounds and returns the figures by name. */
  public Map<String, Object> run() {
    double loadBefore = Figures.loadAverage();
    double[] processes = new double[rounds];
    double[] inProcess = new double[rounds];
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model m = Gpt2Model.load(model, manager)) {
      Generator generator = new Generator(m.function(), m.weights(), manager);
      GenerationConfig longRun = greedy(longTokens);
      GenerationConfig shortRun = greedy(shortTokens);
      generator.generate(prompt, longRun);
      for (int r = 0; r < rounds; r++) {
        processes[r] = marginal(processSeconds(longTokens), processSeconds(shortTokens));
        inProcess[r] =
            marginal(
                Timer.medianSeconds(0, 1, () -> generator.generate(prompt, longRun)),
                Timer.medianSeconds(0, 1, () -> generator.generate(prompt, shortRun)));
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("model", model.toString());
    result.put("prompt_tokens", prompt.length);
    result.put("short_tokens", shortTokens);
    result.put("long_tokens", longTokens);
    result.put("rounds", rounds);
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("torch_threads", JniUtils.getNumThreads());
    result.put("load_average_before", Figures.round(loadBefore));
    result.put("load_average_after", Figures.round(Figures.loadAverage()));
    result.putAll(figures(processes, inProcess));
    return result;
  }

  /** The figures from each round's marginal seconds per token, processes and in-process. */
  static Map<String, Object> figures(double[] processes, double[] inProcess) {
    double generate = Figures.median(processes);
    double bench = Figures.median(inProcess);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("generate_ms_per_token", Figures.round(generate * 1e3));
    out.put("bench_ms_per_token", Figures.round(bench * 1e3));
    out.put("generate_over_bench", Figures.round(generate / bench));
    out.put("generate_ms_per_token_rounds", millis(processes));
    out.put("bench_ms_per_token_rounds", millis(inProcess));
    return out;
  }

  private double marginal(double longSeconds, double shortSeconds) {
    return (longSeconds - shortSeconds) / (longTokens - shortTokens);
  }

  /** Wall time of one {@code generate} process that must produce {@code tokens} tokens. */
  private double processSeconds(int tokens) {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.add("generate");
    command.add("--model");
    command.add(model.toString());
    command.add("--input-ids");
    command.add(LongStream.of(prompt).mapToObj(Long::toString).collect(Collectors.joining(",")));
    command.add("--max-new-tokens");
    command.add(Integer.toString(tokens));
    command.add("--json");
    try {
      Path errors = Files.createTempFile("mend4j-bench-generate", ".err");
      try {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status != 0) {
          throw new IllegalStateException(
              String.join(" ", command)
                  + " exited with "
                  + status
                  + ": "
                  + Files.readString(errors));
        }
        int produced =
            JsonParser.parseString(out).getAsJsonObject().getAsJsonArray("output_ids").size()
                - prompt.length;
        if (produced != tokens) {
          throw new IllegalStateException(
              "generate produced "
                  + produced
                  + " tokens, not "
                  + tokens
                  + " (it stopped at end of text): choose another --prompt-ids");
        }
        return seconds;
      } finally {
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + launcher, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + launcher, e);
    }
  }

  private static GenerationConfig greedy(int tokens) {
    return new GenerationConfig(tokens, 1, 1, 0, 0, 1, 0, false);
  }

  private static List<Double> millis(double[] seconds) {
    return Arrays.stream(seconds).mapToObj(s -> Figures.round(s * 1e3)).toList();
  }
}
