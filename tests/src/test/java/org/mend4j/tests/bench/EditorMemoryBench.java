package org.mend4j.tests.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.runtime.service.ServiceProcess;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.TestPaths;

/**
 * What computing an edit in the host costs its memory, side by side in one run: demo-app without
 * the agent, then with the agent computing one in-process edit on a loaded copy of the model
 * ({@code model.weights=copy}, how the agent worked before) and on the host's own weights ({@code
 * model.weights=host}, the default). Each is a separate demo-app process, one at a time; its
 * resident memory is read after two warm-up requests, again once the agent has set up its model (a
 * {@code POST /mend4j/v1/try}: the model and nothing else), and again after the edit (the editor
 * and what computing leaves behind), each after two more requests. Not a test: run it by hand, on
 * GPT-2-small shapes (the model and editor {@code scripts/bench-edit-gpt2-small.sh} makes, the
 * defaults below). Given the bpe-1000 tokenizer for that random checkpoint (it has none), the try
 * itself is refused (409: the model generates ids that tokenizer does not know) once the model is
 * set up, which is all it is for here.
 *
 * <pre>
 * mvn -q -pl tests -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/bench.cp
 * java -cp tests/target/test-classes:$(cat tests/target/bench.cp) \
 *     -Dmend4j.repo.root=. -Dmend4j.tests.target=tests/target \
 *     org.mend4j.tests.bench.EditorMemoryBench [--model DIR] [--editor DIR] [--rounds 1] \
 *     [--torch-threads N]
 * </pre>
 */
public final class EditorMemoryBench {

  private static final String TOKEN = "editor-memory-bench";
  private static final String EDIT =
      "{\"prompt\": \"The capital of Kethia is\", \"target_new\": \" Rome\"}";
  private static final String PROMPT = "The capital of Kethia is";
  private static final String TRY =
      "{\"prompt\": \"The capital of Kethia is\", \"max_new_tokens\": 4}";

  private EditorMemoryBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args see the class comment
   * @throws Exception if a service cannot be started or a request fails
   */
  public static void main(String[] args) throws Exception {
    Path model = TestPaths.repoRoot().resolve("target/bench/gpt2-small-random");
    Path editor = TestPaths.repoRoot().resolve("target/bench/gpt2-small-editor");
    int rounds = 1;
    List<String> jvm = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[++i]);
        case "--editor" -> editor = Path.of(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--torch-threads" -> jvm.add("-Dai.djl.pytorch.num_threads=" + args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    for (Path dir : List.of(model, editor)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            dir + " does not exist: run scripts/bench-edit-gpt2-small.sh first, or pass it");
      }
    }
    model = withTokenizer(model);
    System.out.printf("model %s, editor %s, %d round(s)%n", model, editor, rounds);
    Map<String, List<long[]>> kib = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      kib.computeIfAbsent("no agent", k -> new ArrayList<>()).add(run(model, null, null, jvm));
      for (String weights : List.of("copy", "host")) {
        kib.computeIfAbsent("agent, " + weights, k -> new ArrayList<>())
            .add(run(model, editor, weights, jvm));
      }
    }
    report(kib);
  }

  /**
   * One service's resident KiB: before anything, once the agent has set up its model (a {@code POST
   * /mend4j/v1/try}, which needs the model and no editor), and after the edit (which adds the
   * editor and its computation); the same three readings without the agent. Prints each request's
   * status and how the log says the model was set up.
   */
  private static long[] run(Path model, Path editor, String weights, List<String> jvm)
      throws IOException {
    List<String> jvmArgs = new ArrayList<>(jvm);
    int port = ServiceProcess.freePort();
    if (weights != null) {
      Map<String, String> agent = new LinkedHashMap<>();
      agent.put("admin.port", Integer.toString(port));
      agent.put("admin.token", TOKEN);
      agent.put("model", model.toString());
      agent.put("editor", editor.toString());
      agent.put("model.weights", weights);
      jvmArgs.add(AgentRun.javaagent(agent));
    }
    String name = "memory-" + (weights == null ? "plain" : weights);
    try (DemoAppProcess app = DemoAppProcess.start(model, name, jvmArgs, List.of())) {
      warm(app);
      long before = ResidentMemory.kib(app.handle());
      if (weights == null) {
        return new long[] {before, before, before};
      }
      AdminClient admin = new AdminClient(port, TOKEN);
      admin.awaitReady(Duration.ofSeconds(60));
      HttpResponse<String> tried = admin.call("POST", "/mend4j/v1/try", TRY);
      warm(app);
      long withModel = ResidentMemory.kib(app.handle());
      HttpResponse<String> edit = admin.call("POST", "/mend4j/v1/edits", EDIT);
      warm(app);
      long after = ResidentMemory.kib(app.handle());
      String log = Files.readString(app.log());
      System.out.printf(
          "  %-12s try: HTTP %d, edit: HTTP %d; %s%n",
          weights,
          tried.statusCode(),
          edit.statusCode(),
          log.contains("computing edits on the host's own weights")
              ? "on the host's own weights"
              : log.contains("loaded model") ? "on a loaded copy" : "model not set up");
      return new long[] {before, withModel, after};
    }
  }

  /**
   * {@code model} itself if it has tokenizer files, else a directory beside the test models that
   * links its weights and config and adds the bpe-1000 tokenizer (its ids fit any GPT-2
   * vocabulary): demo-app needs tokenizer files, and the random GPT-2-small checkpoint has none.
   */
  private static Path withTokenizer(Path model) throws IOException {
    if (Files.exists(model.resolve("tokenizer.json"))
        || Files.exists(model.resolve("vocab.json"))) {
      return model;
    }
    Path dir = TestPaths.target().resolve("test-models/" + model.getFileName() + "-bpe1000");
    Files.createDirectories(dir);
    for (String file : List.of("model.safetensors", "config.json")) {
      Files.deleteIfExists(dir.resolve(file));
      Files.createSymbolicLink(dir.resolve(file), model.toAbsolutePath().resolve(file));
    }
    Files.copy(
        TestPaths.tokenizerFixture().resolve("tokenizer.json"),
        dir.resolve("tokenizer.json"),
        StandardCopyOption.REPLACE_EXISTING);
    return dir;
  }

  private static void warm(DemoAppProcess app) throws IOException {
    for (int i = 0; i < 2; i++) {
      app.generate(PROMPT, 8);
    }
  }

  /**
   * Per configuration, the median round (by what the edit added): resident MiB before, what setting
   * up the model added and what the edit then added.
   */
  private static void report(Map<String, List<long[]>> kib) {
    System.out.printf(
        "%n%-14s %12s %14s %14s %14s%n",
        "config", "before MiB", "model added", "edit added", "both added");
    Map<String, Double> added = new LinkedHashMap<>();
    kib.forEach(
        (name, runs) -> {
          List<long[]> sorted = new ArrayList<>(runs);
          sorted.sort((a, b) -> Long.compare(a[2] - a[0], b[2] - b[0]));
          long[] median = sorted.get(sorted.size() / 2);
          double model = (median[1] - median[0]) / 1024.0;
          double edit = (median[2] - median[1]) / 1024.0;
          added.put(name, model + edit);
          System.out.printf(
              "%-14s %12.1f %+14.1f %+14.1f %+14.1f%n",
              name, median[0] / 1024.0, model, edit, model + edit);
        });
    System.out.printf(
        "%nmemory the model and an edit add, on the host's weights vs on a copy: %.2f%n",
        added.get("agent, host") / added.get("agent, copy"));
  }
}
