package org.mend4j.tests.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.mend.MendHparams;
import org.mend4j.runtime.service.ServiceClient;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestModels;
import org.mend4j.tests.support.TestPaths;
import org.mend4j.tests.support.WorldFacts;

/**
 * The agent's cost on demo-app's generation throughput, side by side in one run: demo-app without
 * the agent, with the agent and no edit, and with 1, 10 and 100 active edits on the inner layers
 * (MEND's: the MLP weights of the last three blocks), each a separate demo-app process on loopback.
 * Rounds interleave the configurations so that drift on a shared machine hits them alike; the
 * median round is reported, with the ratio to no agent, then each service's resident memory after
 * its rounds (merged weights and engine factors are native memory, so they show there; the merged
 * weights' size is also read from the agent's status), then the memory an edit takes, factored
 * against a dense {@code dW}. Not a test: run it by hand.
 *
 * <pre>
 * mvn -q -pl tests -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/bench.cp
 * java -cp tests/target/test-classes:$(cat tests/target/bench.cp) \
 *     -Dmend4j.repo.root=. -Dmend4j.tests.target=tests/target \
 *     org.mend4j.tests.bench.AgentThroughputBench [--model DIR | --gpt2-small-body] \
 *     [--edits 1,10,100] [--rows 10] [--clients 1] [--requests 8] [--rounds 5] \
 *     [--max-new-tokens 32] [--torch-threads N] [--merge-max-floats N] \
 *     [--compare-factored] [--baseline-agent JAR] [--world-edits N] [--control]
 *     [--compare-mkl-dispatch]
 * </pre>
 *
 * <p>{@code --compare-mkl-dispatch} adds this build's agent with {@code mkl.cpu.dispatch=true}
 * (names starting {@code mkl dispatch,}; this build's defaults then {@code default,}): what a host
 * on a non-Intel CPU gains when the agent lets its oneMKL dispatch on the CPU's features.
 *
 * <p>{@code --control} adds a second demo-app without the agent ({@code no agent, again}): the same
 * configuration in another process, so its ratio to {@code no agent} is what the benchmark reads
 * where there is no difference to find, the resolution every other ratio is to be read with (a
 * process's own speed, from where its weights landed in memory, is a difference the rounds' medians
 * cannot remove).
 *
 * <p>{@code --world-edits N} serves the world model instead, with the test split's first N records
 * edited by the shipped editor one after another (composed, as the admin API makes them) as one
 * more configuration, beside the random ones.
 *
 * <p>Every agent configuration runs this build's agent ({@code --merge-max-floats} sets its {@code
 * merge.max.floats}). To compare in the same run, {@code --compare-factored} adds the same
 * configurations with {@code merge.max.floats=0} (the factored path only), and {@code
 * --baseline-agent JAR} adds them with another agent jar (e.g. one built before a change); their
 * names start with {@code factored,} and {@code before,}, and this build's with its default
 * settings then with {@code default,} (beside {@code factored,}) or {@code after,} (beside {@code
 * before,}).
 *
 * <p>Edits have random factors ({@code --rows} per weight, as MEND keeps one row per edit-prompt
 * token) with the model's real fingerprints and a tiny step, so they are bound and applied on every
 * call while the generated text (hence the work per request) stays the same. Besides wall-clock
 * tokens/s the service's CPU time per token is reported; on a shared machine it is the steadier
 * measure, the more so with {@code --torch-threads 1} (no idle spinning of PyTorch's thread pool).
 */
public final class AgentThroughputBench {

  private static final String PROMPT = "The capital of the country is a city by the river, and";

  private AgentThroughputBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args see the class comment
   * @throws Exception if a service cannot be started or a request fails
   */
  public static void main(String[] args) throws Exception {
    Path model = null;
    List<Integer> editCounts = List.of(1, 10, 100);
    int rows = 10;
    int clients = 1;
    int requests = 8;
    int rounds = 5;
    int maxNewTokens = 32;
    List<String> jvm = new ArrayList<>();
    String mergeMaxFloats = null;
    boolean compareFactored = false;
    Path baseline = null;
    int worldEdits = 0;
    boolean control = false;
    boolean compareMklDispatch = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[++i]);
        case "--gpt2-small-body" -> model = RandomGpt2Checkpoint.gpt2SmallBody();
        case "--edits" ->
            editCounts = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--rows" -> rows = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--requests" -> requests = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--max-new-tokens" -> maxNewTokens = Integer.parseInt(args[++i]);
        case "--torch-threads" -> {
          jvm.add("-Dai.djl.pytorch.num_threads=" + args[++i]);
          jvm.add("-Dai.djl.pytorch.num_interop_threads=1");
        }
        case "--merge-max-floats" -> mergeMaxFloats = args[++i];
        case "--compare-factored" -> compareFactored = true;
        case "--baseline-agent" -> baseline = Path.of(args[++i]);
        case "--control" -> control = true;
        case "--compare-mkl-dispatch" -> compareMklDispatch = true;
        case "--world-edits" -> {
          worldEdits = Integer.parseInt(args[++i]);
          model = WorldFacts.model();
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (model == null) {
      model = TestModels.tinyWithTokenizer();
    }
    Path work = Files.createTempDirectory("mend4j-agent-bench");
    Map<String, List<String>> configs = new LinkedHashMap<>();
    Map<String, Path> statusFiles = new LinkedHashMap<>();
    List<String> inner;
    Gpt2Config config;
    // (name prefix, agent jar, merge.max.floats or null for the agent's default, mkl.cpu.dispatch)
    List<Object[]> agents = new ArrayList<>();
    if (baseline != null) {
      agents.add(new Object[] {"before, ", baseline, null, false});
    }
    if (compareFactored) {
      agents.add(new Object[] {"factored, ", TestPaths.agentJar(), "0", false});
    }
    agents.add(
        new Object[] {
          baseline != null
              ? "after, "
              : compareFactored || compareMklDispatch ? "default, " : "agent, ",
          TestPaths.agentJar(),
          mergeMaxFloats,
          false
        });
    if (compareMklDispatch) {
      agents.add(new Object[] {"mkl dispatch, ", TestPaths.agentJar(), mergeMaxFloats, true});
    }
    try (ReferenceModel reference = ReferenceModel.load(model)) {
      config = reference.model().config();
      inner = MendHparams.defaults(config).innerParams();
      configs.put("no agent", List.of());
      if (control) {
        configs.put("no agent, again", List.of());
      }
      Map<Integer, Path> dirs = new LinkedHashMap<>();
      dirs.put(0, AgentRun.editDir(work, "none"));
      for (int k : editCounts) {
        Path dir = AgentRun.editDir(work, "edits-" + k);
        for (int e = 0; e < k; e++) {
          Edit edit = reference.randomEdit(1000L + e, 1e-7f, rows, inner);
          EditFile.write(edit, dir.resolve(edit.id() + EditFile.SUFFIX));
        }
        dirs.put(k, dir);
      }
      if (worldEdits > 0) {
        Path dir = AgentRun.editDir(work, "world-" + worldEdits);
        List<EditRequest> facts = new ArrayList<>();
        for (int f = 0; f < worldEdits; f++) {
          facts.add(WorldFacts.request(WorldFacts.fact(f)));
        }
        for (Edit edit : reference.mendEdits(WorldFacts.editor(), facts)) {
          EditFile.write(edit, dir.resolve(edit.id() + EditFile.SUFFIX));
        }
        dirs.put(-worldEdits, dir);
      }
      for (Map.Entry<Integer, Path> d : dirs.entrySet()) {
        int k = d.getKey();
        for (Object[] agent : agents) {
          String name =
              agent[0]
                  + (k == 0
                      ? "no edit"
                      : k < 0 ? -k + " composed world edits" : k + " edit" + (k == 1 ? "" : "s"));
          Path status = work.resolve("status-" + name.replaceAll("[^a-z0-9]+", "-") + ".json");
          Map<String, String> agentArgs = AgentRun.args(d.getValue(), status);
          agentArgs.put("status.interval.ms", "2000"); // rare, so the writer costs no CPU
          if (agent[2] != null) {
            agentArgs.put("merge.max.floats", (String) agent[2]);
          }
          if ((Boolean) agent[3]) {
            agentArgs.put("mkl.cpu.dispatch", "true");
          }
          configs.put(name, List.of(AgentRun.javaagent((Path) agent[1], agentArgs)));
          if (k != 0) {
            statusFiles.put(name, status);
          }
        }
      }
      System.out.printf(
          "model %s (%d layers x %d wide), %d new tokens per request, %d client(s) x %d requests,"
              + " %d rounds; edits: %d rows on each of %s%n",
          model,
          config.nLayer(),
          config.nEmbd(),
          maxNewTokens,
          clients,
          requests,
          rounds,
          rows,
          inner);
    }
    Map<String, DemoAppProcess> apps = new LinkedHashMap<>();
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    long[] tokensPerRequest = new long[configs.size()];
    try {
      for (Map.Entry<String, List<String>> c : configs.entrySet()) {
        List<String> jvmArgs = new ArrayList<>(jvm);
        jvmArgs.addAll(c.getValue());
        DemoAppProcess app =
            DemoAppProcess.start(
                model, "bench-" + c.getKey().replaceAll("[^a-z0-9]+", "-"), jvmArgs, List.of());
        apps.put(c.getKey(), app);
        rates.put(c.getKey(), new ArrayList<>());
        cpu.put(c.getKey(), new ArrayList<>());
        Load.greedy(client(app), PROMPT, clients, Math.max(requests, 8), maxNewTokens); // warm-up
      }
      List<String> names = new ArrayList<>(apps.keySet());
      for (int r = 0; r < rounds; r++) {
        // Alternate the order, so that a trend in the machine's load favours no configuration.
        for (int i = 0; i < names.size(); i++) {
          int index = r % 2 == 0 ? i : names.size() - 1 - i;
          String name = names.get(index);
          long cpuBefore = CpuTime.nanos(apps.get(name).handle());
          long start = System.nanoTime();
          long tokens =
              Load.greedy(client(apps.get(name)), PROMPT, clients, requests, maxNewTokens);
          double seconds = (System.nanoTime() - start) / 1e9;
          rates.get(name).add(tokens / seconds);
          cpu.get(name).add((CpuTime.nanos(apps.get(name).handle()) - cpuBefore) / 1e6 / tokens);
          tokensPerRequest[index] = tokens / ((long) clients * requests);
        }
      }
      report(rates, tokensPerRequest);
      CpuTime.report(cpu);
      Map<String, Long> resident = new LinkedHashMap<>();
      for (String name : names) {
        resident.put(name, ResidentMemory.kib(apps.get(name).handle()));
      }
      ResidentMemory.report(resident);
      System.out.println();
      for (Map.Entry<String, Path> e : statusFiles.entrySet()) {
        var s =
            AgentRun.awaitStatus(
                e.getValue(),
                j -> AgentRun.counter(j, "deltas_applied") > 0,
                Duration.ofSeconds(10));
        var counters = s.getAsJsonObject("counters");
        var merged = s.getAsJsonObject("merged_weights");
        System.out.printf(
            "  %-20s %d bound, deltas applied %d, edited calls %d, merged calls %s,"
                + " merged weights %s (%s floats), suppressed errors %d%n",
            e.getKey() + ":",
            s.getAsJsonArray("edits").asList().stream()
                .filter(x -> x.getAsJsonObject().get("state").getAsString().equals("BOUND"))
                .count(),
            AgentRun.counter(s, "deltas_applied"),
            AgentRun.counter(s, "edited_calls"),
            counters.has("merged_calls") ? counters.get("merged_calls").getAsString() : "-",
            merged != null ? merged.get("weights").getAsString() : "-",
            merged != null ? merged.get("floats").getAsString() : "-",
            AgentRun.counter(s, "suppressed_errors"));
      }
    } finally {
      apps.values().forEach(DemoAppProcess::close);
    }
    memory(rows);
  }

  /**
   * Per configuration: the median rate, its ratio to the median without the agent, and the median
   * of the per-round ratios (each against the no-agent measurement of the same round, which is less
   * sensitive to load that changes between rounds).
   */
  private static void report(Map<String, List<Double>> rates, long[] tokensPerRequest) {
    List<Double> base = rates.values().iterator().next();
    System.out.printf(
        "%-22s %14s %8s %12s %8s  %s%n",
        "config", "tokens/s (med)", "ratio", "round ratio", "tok/req", "tokens/s per round");
    int i = 0;
    for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
      StringBuilder all = new StringBuilder();
      e.getValue().forEach(v -> all.append(String.format("%.1f ", v)));
      double m = Medians.of(e.getValue());
      System.out.printf(
          "%-22s %14.1f %8.3f %12.3f %8d  %s%n",
          e.getKey(),
          m,
          m / Medians.of(base),
          Medians.ofRatios(e.getValue(), base),
          tokensPerRequest[i++],
          all);
    }
  }

  /** Factored against dense storage per edit, float32, for the world model and GPT-2 small. */
  private static void memory(int rows) {
    System.out.printf("%nmemory per edit (float32, n = %d factor rows per weight)%n", rows);
    System.out.printf(
        "%-28s %12s %12s %8s%n", "weight [in, out]", "factored", "dense dW", "dense/f");
    long[][] shapes = {{192, 768}, {768, 192}, {768, 3072}, {3072, 768}};
    for (long[] s : shapes) {
      long factored = 4L * rows * (s[0] + s[1]);
      long dense = 4L * s[0] * s[1];
      System.out.printf(
          "%-28s %12s %12s %8.1f%n",
          "[" + s[0] + ", " + s[1] + "]", bytes(factored), bytes(dense), (double) dense / factored);
    }
    for (long[] m : new long[][] {{192, 768}, {768, 3072}}) {
      long factored = 3 * 4L * rows * 2 * (m[0] + m[1]);
      long dense = 3 * 4L * 2 * m[0] * m[1];
      System.out.printf(
          "%-28s %12s %12s %8.1f%n",
          "edit on 3 x (c_fc, c_proj) " + m[0],
          bytes(factored),
          bytes(dense),
          (double) dense / factored);
    }
  }

  private static String bytes(long b) {
    return b >= 1 << 20
        ? String.format("%.2f MiB", b / 1048576.0)
        : String.format("%.1f KiB", b / 1024.0);
  }

  private static ServiceClient client(DemoAppProcess app) {
    return app.service().client();
  }
}
