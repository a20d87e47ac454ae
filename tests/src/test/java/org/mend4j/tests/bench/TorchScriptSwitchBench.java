package org.mend4j.tests.bench;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.mend.MendHparams;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.runtime.service.ServiceProcess;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.ReferenceModel;

/**
 * What variants cost on a TorchScript host, where the agent changes the module's weights in place
 * and requests of different variants take turns: demo-app serves a traced GPT-2 with {@code
 * --edits} random edits on the editor's inner weights, and a variant {@code original} without them.
 * Rounds interleave requests that all ask for the default variant (the weights stay as they are)
 * with requests that alternate between the two (every request switches the weights), and the median
 * latency of each, their ratio, and the agent's own time per switch (from its status) are reported.
 * Not a test: run it by hand.
 *
 * <pre>
 * mvn -q -pl tests -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/bench.cp
 * /usr/bin/python3 scripts/trace-torchscript.py CHECKPOINT TRACED   # e.g. the GPT-2 small body below
 * java -cp tests/target/test-classes:$(cat tests/target/bench.cp) \
 *     -Dmend4j.repo.root=. -Dmend4j.tests.target=tests/target \
 *     org.mend4j.tests.bench.TorchScriptSwitchBench --checkpoint CHECKPOINT --traced TRACED \
 *     [--edits 10] [--rows 10] [--rounds 20] [--max-new-tokens 4] [--torch-threads N]
 * </pre>
 *
 * <p>{@code --gpt2-small-body} as the checkpoint writes the random GPT-2-small-shaped checkpoint of
 * {@link AgentThroughputBench} (under {@code tests/target/test-models}) and prints where it is, for
 * tracing.
 */
public final class TorchScriptSwitchBench {

  private static final String PROMPT = "The capital of the country is a city by the river, and";

  private TorchScriptSwitchBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args see the class comment
   * @throws Exception if the service cannot be started or a request fails
   */
  public static void main(String[] args) throws Exception {
    Path checkpoint = null;
    Path traced = null;
    int edits = 10;
    int rows = 10;
    int rounds = 20;
    int tokens = 4;
    List<String> jvm = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--checkpoint" -> checkpoint = Path.of(args[++i]);
        case "--gpt2-small-body" -> checkpoint = RandomGpt2Checkpoint.gpt2SmallBody();
        case "--traced" -> traced = Path.of(args[++i]);
        case "--edits" -> edits = Integer.parseInt(args[++i]);
        case "--rows" -> rows = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--max-new-tokens" -> tokens = Integer.parseInt(args[++i]);
        case "--torch-threads" -> {
          jvm.add("-Dai.djl.pytorch.num_threads=" + args[++i]);
          jvm.add("-Dai.djl.pytorch.num_interop_threads=1");
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (checkpoint != null) {
      System.out.println("checkpoint: " + checkpoint);
    }
    if (checkpoint == null || traced == null) {
      throw new IllegalArgumentException("give --checkpoint (or --gpt2-small-body) and --traced");
    }
    Path work = Files.createTempDirectory("mend4j-switch-bench");
    Path dir = AgentRun.editDir(work, "edits");
    List<String> inner;
    try (ReferenceModel reference = ReferenceModel.load(checkpoint)) {
      inner = MendHparams.defaults(reference.model().config()).innerParams();
      for (int e = 0; e < edits; e++) {
        Edit edit = reference.randomEdit(1000L + e, 1e-7f, rows, inner);
        EditFile.write(edit, dir.resolve(edit.id() + EditFile.SUFFIX));
      }
    }
    int adminPort = ServiceProcess.freePort();
    Map<String, String> agent = new LinkedHashMap<>(AgentRun.args(dir, null));
    agent.put("admin.port", Integer.toString(adminPort));
    agent.put("admin.token", ControlledService.TOKEN);
    agent.put("variants.header", "true");
    jvm.add(0, AgentRun.javaagent(agent));
    try (DemoAppProcess app = DemoAppProcess.start(traced, "switch-bench", jvm, List.of())) {
      AdminClient admin = new AdminClient(adminPort, ControlledService.TOKEN);
      admin.awaitReady(Duration.ofSeconds(30));
      Map<String, String> original = admin.putOriginalVariant();
      Map<String, String> edited = Map.of();
      for (int w = 0; w < 3; w++) {
        app.generate(PROMPT, tokens, original);
        app.generate(PROMPT, tokens, edited);
      }
      List<Double> same = new ArrayList<>();
      List<Double> alternating = new ArrayList<>();
      long switches = 0;
      double switchMs = 0;
      for (int r = 0; r < rounds; r++) {
        same.add(timed(app, edited, edited, tokens));
        JsonObject before = torchscript(admin);
        alternating.add(timed(app, original, edited, tokens));
        JsonObject after = torchscript(admin);
        switches +=
            after.get("weight_switches").getAsLong() - before.get("weight_switches").getAsLong();
        switchMs += after.get("switch_ms").getAsDouble() - before.get("switch_ms").getAsDouble();
      }
      JsonObject status = torchscript(admin);
      double s = Medians.of(same);
      double a = Medians.of(alternating);
      System.out.printf(
          "TorchScript host %s, %d edits x %d rows on %d weights, %d new tokens per request%n",
          traced, edits, rows, inner.size(), tokens);
      System.out.printf(
          "  same variant:        %8.1f ms per request (median of %d pairs)%n", s, rounds);
      System.out.printf(
          "  alternating variant: %8.1f ms per request (median of %d pairs), %.2fx%n",
          a, rounds, a / s);
      System.out.printf(
          "  agent: %.1f ms per weight switch (%d switches in the alternating pairs); base copies"
              + " %.1f MiB%n",
          switchMs / Math.max(1, switches),
          switches,
          status.get("base_copy_floats").getAsLong() * 4 / 1048576.0);
    }
  }

  /** Milliseconds per request of two requests in a row, the first with {@code first}'s headers. */
  private static double timed(
      DemoAppProcess app, Map<String, String> first, Map<String, String> second, int tokens)
      throws Exception {
    long start = System.nanoTime();
    app.generate(PROMPT, tokens, first);
    app.generate(PROMPT, tokens, second);
    return (System.nanoTime() - start) / 2e6;
  }

  private static JsonObject torchscript(AdminClient admin) throws Exception {
    return admin
        .expect(200, "GET", "/mend4j/v1/status", null)
        .getAsJsonObject()
        .getAsJsonObject("torchscript");
  }
}
