package org.mend4j.runtime.cli;

import java.util.Map;
import org.mend4j.runtime.bench.Gpt2Benchmark;
import org.mend4j.runtime.gpt2.Gpt2Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mend4j bench}: the benchmarks behind the README's figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each reports its baseline from the same run.",
    subcommands = {BenchCommand.Gpt2.class})
final class BenchCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code mend4j bench gpt2}: prompt and decode throughput against the matmul peak. */
  @Command(
      name = "gpt2",
      mixinStandardHelpOptions = true,
      description =
          "Prompt and KV-cache decode throughput of a random GPT-2 (default: GPT-2 small shapes),"
              + " as a fraction of the float32 matmul peak measured in the same run.")
  static final class Gpt2 implements Runnable {

    @Option(names = "--layers", defaultValue = "12")
    int layers;

    @Option(names = "--width", defaultValue = "768")
    int width;

    @Option(names = "--heads", defaultValue = "12")
    int heads;

    @Option(names = "--vocab", defaultValue = "50257")
    int vocab;

    @Option(names = "--prompt-tokens", defaultValue = "128")
    int promptTokens;

    @Option(names = "--decode-tokens", defaultValue = "32")
    int decodeTokens;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs (median reported)")
    int runs;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    @Override
    public void run() {
      Gpt2Config config =
          new Gpt2Config(
              width, layers, heads, 1024, vocab, 1e-5f, 4 * width, "gelu_new", true, vocab - 1);
      Map<String, Object> result =
          new Gpt2Benchmark(config, promptTokens, decodeTokens, runs).run();
      if (json) {
        System.out.println(Json.write(result));
      } else {
        result.forEach((k, v) -> System.out.printf("%-26s %s%n", k, v));
      }
    }
  }
}
