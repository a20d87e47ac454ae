package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.bench.CompositionBenchmark;
import org.mend4j.runtime.bench.EditLatencyBenchmark;
import org.mend4j.runtime.bench.GenerateBenchmark;
import org.mend4j.runtime.bench.Gpt2Benchmark;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.engine.MklCpuDispatch;
import org.mend4j.runtime.engine.RowProducts;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.MendEditor;
import org.mend4j.runtime.mend.MendEdits;
import org.mend4j.runtime.plot.BenchPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mend4j bench}: the benchmarks behind the README's figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each reports its baseline from the same run.",
    subcommands = {
      BenchCommand.Gpt2.class,
      BenchCommand.Generate.class,
      BenchCommand.Edit.class,
      BenchCommand.Compose.class
    })
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
          "Prompt and KV-cache decode throughput of a random GPT-2 (default: GPT-2 small shapes):"
              + " prompt processing as a fraction of the float32 matmul peak, decoding as a fraction"
              + " of its floor (bytes read per token over the memory bandwidth), all measured in"
              + " interleaved rounds of one run.")
  static final class Gpt2 implements Runnable, ThreadPolicy.Inference {

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

    @Option(
        names = "--runs",
        defaultValue = "5",
        description = "interleaved rounds (limits: best round; work: median round)")
    int runs;

    @Option(
        names = "--bandwidth-mib",
        defaultValue = "2048",
        description =
            "size of the array the memory bandwidth is read on (default: ${DEFAULT-VALUE})")
    int bandwidthMib;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    @Mixin PlotOption plot;

    @Override
    public void run() {
      Gpt2Config config =
          new Gpt2Config(
              width, layers, heads, 1024, vocab, 1e-5f, 4 * width, "gelu_new", true, vocab - 1);
      Map<String, Object> result =
          new Gpt2Benchmark(config, promptTokens, decodeTokens, runs, bandwidthMib).run();
      print(result, json);
      plot.draw(result, BenchPlot::gpt2);
    }
  }

  /** {@code mend4j bench generate}: whole {@code ./mend4j generate} processes against the bench. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "The decode cost per token of whole ./mend4j generate processes with their default"
              + " settings (marginal: two lengths, so start-up, loading and the prompt cancel out),"
              + " beside the same two lengths decoded in this process as bench gpt2 decodes, in"
              + " interleaved rounds. Default model: a random GPT-2-small-shaped checkpoint, written"
              + " once under target/bench/.")
  static final class Generate implements Runnable, ThreadPolicy.Inference {

    @Option(
        names = "--model",
        paramLabel = "DIR",
        description = "checkpoint directory (default: the random GPT-2-small-shaped one)")
    Path model;

    @Option(
        names = "--prompt-ids",
        defaultValue = "464,3290,286,4881,318",
        converter = TokenSequence.Converter.class,
        description = "prompt token ids (default: ${DEFAULT-VALUE})")
    TokenSequence prompt;

    @Option(names = "--short", defaultValue = "4", description = "new tokens of the short run")
    int shortTokens;

    @Option(names = "--long", defaultValue = "68", description = "new tokens of the long run")
    int longTokens;

    @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds (median)")
    int rounds;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    @Override
    public void run() {
      Path home = Path.of(System.getProperty("mend4j.home", "."));
      Path dir =
          model != null
              ? model
              : GenerateBenchmark.gpt2SmallCheckpoint(
                  home.resolve("target/bench/gpt2-small-random"));
      Map<String, Object> result =
          new GenerateBenchmark(
                  home.resolve("mend4j"), dir, prompt.ids(), shortTokens, longTokens, rounds)
              .run();
      print(result, json);
    }
  }

  /** {@code mend4j bench edit}: MEND edit latency against forward+backward and fine-tuning. */
  @Command(
      name = "edit",
      mixinStandardHelpOptions = true,
      description =
          "Median MEND edit time beside one forward+backward pass on the same prompts and beside"
              + " the fine-tuning baseline (with the reliability it reaches).")
  static final class Edit implements Runnable {

    @Mixin ModelOption model;
    @Mixin EditorOption editor;

    @Option(names = "--data", defaultValue = "data/world/edits-test.json", description = "edits")
    Path data;

    @Option(names = "--limit", defaultValue = "50", description = "edits to time")
    int limit;

    @Option(
        names = "--warmup",
        defaultValue = "200",
        description = "untimed edit and forward+backward pairs before timing (the JIT's warm-up)")
    int warmup;

    @Mixin FineTuneOptions fineTune;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    @Mixin PlotOption plot;

    @Override
    public void run() {
      List<EditCase> cases = EasyEditJson.readEditCases(data);
      cases = cases.subList(0, Math.min(limit, cases.size()));
      try (NDManager manager = NDManager.newBaseManager();
          Gpt2Model m = model.load(manager);
          MendEditor e = editor.load(m, manager)) {
        Map<String, Object> result =
            new EditLatencyBenchmark(m, new MendEdits(m, e), fineTune.method(m, e))
                .run(cases, warmup, manager);
        print(result, json);
        plot.draw(result, BenchPlot::edit);
      }
    }
  }

  /** {@code mend4j bench compose}: the cost of many active edits. */
  @Command(
      name = "compose",
      mixinStandardHelpOptions = true,
      description =
          "Time to add the Nth edit with N-1 active against one edit on the base model, the"
              + " composition's time and memory, and greedy decoding with every edit composed"
              + " against the base model, in one run.")
  static final class Compose implements Runnable {

    @Mixin ModelOption model;
    @Mixin EditorOption editor;

    @Option(names = "--data", defaultValue = "data/world/edits-test.json", description = "edits")
    Path data;

    @Option(
        names = "--sizes",
        defaultValue = "10,100,756",
        split = ",",
        description = "N at which to report (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--window", defaultValue = "5", description = "additions per median")
    int window;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    @Mixin PlotOption plot;

    @Override
    public void run() {
      List<EditCase> cases = EasyEditJson.readEditCases(data);
      try (NDManager manager = NDManager.newBaseManager();
          Gpt2Model m = model.load(manager);
          MendEditor e = editor.load(m, manager)) {
        Map<String, Object> result =
            new CompositionBenchmark(m, new MendEdits(m, e), window).run(cases, sizes, manager);
        print(result, json);
        plot.draw(result, BenchPlot::compose);
      }
    }
  }

  /** Prints a benchmark's figures, with whether oneMKL dispatched on the CPU's features. */
  static void print(Map<String, Object> figures, boolean json) {
    Map<String, Object> result = new LinkedHashMap<>(figures);
    result.put("mkl_cpu_dispatch", MklCpuDispatch.loaded());
    result.put("row_products", RowProducts.loaded());
    if (json) {
      System.out.println(Json.write(result));
    } else {
      result.forEach((k, v) -> System.out.printf("%-28s %s%n", k, v));
    }
  }
}
