package org.mend4j.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.service.ServiceProcess;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.CliEdit;
import org.mend4j.tests.support.Launches;
import org.mend4j.tests.support.TestPaths;
import org.mend4j.tests.support.WorldFacts;

/**
 * The agent's cost on the Spring Boot host ({@code spring-app/target/mend4j-spring-app.jar} on the
 * world GPT-2), side by side in one run. Not a test: run it by hand.
 *
 * <ol>
 *   <li>Startup: the time from starting the JVM to the first {@code 200} of {@code /health},
 *       without and with {@code -javaagent:agent/target/mend4j-agent.jar}; each round starts one of
 *       each, one after the other, in alternating order; medians, their ratio and the median of the
 *       per-round ratios are reported.
 *   <li>Steady state: three hosts side by side, without the agent, with the agent and no edit, and
 *       with the agent and {@code --edits} edits (made by {@code ./mend4j edit}, one per world
 *       fact, as a user makes them); rounds of greedy requests interleave the three in alternating
 *       order; the service's CPU time per generated token (and wall-clock tokens/s) per
 *       configuration, with its ratio to no agent.
 * </ol>
 *
 * <pre>
 * mvn -q -pl tests -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/bench.cp
 * java -cp tests/target/test-classes:$(cat tests/target/bench.cp) \
 *     -Dmend4j.repo.root=. -Dmend4j.tests.target=tests/target \
 *     org.mend4j.tests.bench.SpringHostBench [--startup-rounds 5] [--rounds 5] [--requests 16] \
 *     [--max-new-tokens 32] [--edits 10] [--torch-threads N]
 * </pre>
 *
 * <p>Each host's first {@code [mend4j]} log lines are printed at the end, to show what the agent
 * did in it (bound edits, or why it stood aside).
 */
public final class SpringHostBench {

  private static final String PROMPT = "The capital of the country is a city by the river, and";

  private SpringHostBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args see the class comment
   * @throws Exception if a host cannot be started, an edit cannot be made or a request fails
   */
  public static void main(String[] args) throws Exception {
    int startupRounds = 5;
    int rounds = 5;
    int requests = 16;
    int maxNewTokens = 32;
    int edits = 10;
    List<String> jvm = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--startup-rounds" -> startupRounds = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--requests" -> requests = Integer.parseInt(args[++i]);
        case "--max-new-tokens" -> maxNewTokens = Integer.parseInt(args[++i]);
        case "--edits" -> edits = Integer.parseInt(args[++i]);
        case "--torch-threads" -> {
          jvm.add("-Dai.djl.pytorch.num_threads=" + args[++i]);
          jvm.add("-Dai.djl.pytorch.num_interop_threads=1");
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    Path model = WorldFacts.model();
    Path work = Files.createTempDirectory("mend4j-spring-bench");
    System.out.printf(
        "Spring Boot host %s on %s; startup %d rounds; steady state %d rounds of %d requests x %d"
            + " new tokens%n",
        Launches.springApp().jar(), model, startupRounds, rounds, requests, maxNewTokens);
    startup(model, jvm, startupRounds);
    steadyState(model, jvm, editDir(work, edits), work, rounds, requests, maxNewTokens);
  }

  private static void startup(Path model, List<String> jvm, int rounds) throws IOException {
    Map<String, List<String>> configs = new LinkedHashMap<>();
    configs.put("no agent", jvm);
    configs.put("agent", with(jvm, AgentRun.javaagent(Map.of())));
    Map<String, List<Double>> millis = new LinkedHashMap<>();
    configs.keySet().forEach(name -> millis.put(name, new ArrayList<>()));
    List<String> names = new ArrayList<>(configs.keySet());
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(r % 2 == 0 ? i : names.size() - 1 - i);
        try (ServiceProcess host = start(model, "startup-" + slug(name), configs.get(name))) {
          millis.get(name).add(host.startup().toNanos() / 1e6);
        }
      }
    }
    System.out.println("\ntime to first /health");
    table("ms", millis);
  }

  private static void steadyState(
      Path model,
      List<String> jvm,
      Path edits,
      Path work,
      int rounds,
      int requests,
      int maxNewTokens)
      throws Exception {
    int count;
    try (var files = Files.list(edits)) {
      count = (int) files.count();
    }
    Map<String, List<String>> configs = new LinkedHashMap<>();
    configs.put("no agent", jvm);
    configs.put("agent, no edit", with(jvm, agent(AgentRun.editDir(work, "none"))));
    configs.put("agent, " + count + " edits", with(jvm, agent(edits)));
    Map<String, ServiceProcess> hosts = new LinkedHashMap<>();
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, List<String>> c : configs.entrySet()) {
        ServiceProcess host = start(model, "steady-" + slug(c.getKey()), c.getValue());
        hosts.put(c.getKey(), host);
        rates.put(c.getKey(), new ArrayList<>());
        cpu.put(c.getKey(), new ArrayList<>());
        Load.greedy(host.client(), PROMPT, 1, Math.max(requests, 8), maxNewTokens); // warm-up
      }
      List<String> names = new ArrayList<>(hosts.keySet());
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < names.size(); i++) {
          String name = names.get(r % 2 == 0 ? i : names.size() - 1 - i);
          ServiceProcess host = hosts.get(name);
          long cpuBefore = CpuTime.nanos(host.handle());
          long start = System.nanoTime();
          long tokens = Load.greedy(host.client(), PROMPT, 1, requests, maxNewTokens);
          rates.get(name).add(tokens / ((System.nanoTime() - start) / 1e9));
          cpu.get(name).add((CpuTime.nanos(host.handle()) - cpuBefore) / 1e6 / tokens);
        }
      }
      System.out.println("\nsteady state, generated tokens per second (wall clock)");
      table("tokens/s", rates);
      CpuTime.report(cpu);
      System.out.println("\nwhat the agent said in each host:");
      for (Map.Entry<String, ServiceProcess> h : hosts.entrySet()) {
        List<String> said =
            Files.readAllLines(h.getValue().log()).stream()
                .filter(l -> l.startsWith("[mend4j]"))
                .limit(3)
                .toList();
        System.out.printf("  %-20s %s%n", h.getKey() + ":", said.isEmpty() ? "-" : said);
      }
    } finally {
      hosts.values().forEach(ServiceProcess::close);
    }
  }

  /** {@code count} edits made by {@code ./mend4j edit}, one per world fact. */
  private static Path editDir(Path work, int count) throws Exception {
    Path dir = AgentRun.editDir(work, "edits");
    List<CounterFactRecord> facts = WorldFacts.oneRecordPerFact(count);
    for (int i = 0; i < facts.size(); i++) {
      CliEdit.run(
          WorldFacts.model(),
          WorldFacts.editor(),
          facts.get(i),
          dir.resolve("fact-" + i + EditFile.SUFFIX));
    }
    System.out.printf("%d edits made with ./mend4j edit in %s%n", facts.size(), dir);
    return dir;
  }

  /**
   * Per configuration: the median, its ratio to the first configuration's median, the median of the
   * per-round ratios, and every round's value.
   */
  private static void table(String unit, Map<String, List<Double>> values) {
    List<Double> base = values.values().iterator().next();
    System.out.printf(
        "%-22s %14s %8s %12s  %s%n",
        "config", unit + " (med)", "ratio", "round ratio", "per round");
    for (Map.Entry<String, List<Double>> e : values.entrySet()) {
      StringBuilder all = new StringBuilder();
      e.getValue().forEach(v -> all.append(String.format("%.1f ", v)));
      double m = Medians.of(e.getValue());
      System.out.printf(
          "%-22s %14.1f %8.3f %12.3f  %s%n",
          e.getKey(), m, m / Medians.of(base), Medians.ofRatios(e.getValue(), base), all);
    }
  }

  private static ServiceProcess start(Path model, String name, List<String> jvm)
      throws IOException {
    return ServiceProcess.start(
        Launches.springApp(), model, TestPaths.target(), "bench-" + name, jvm, List.of());
  }

  private static String agent(Path edits) {
    return AgentRun.javaagent(AgentRun.args(edits, null));
  }

  private static List<String> with(List<String> jvm, String arg) {
    List<String> all = new ArrayList<>(jvm);
    all.add(arg);
    return all;
  }

  private static String slug(String name) {
    return name.replaceAll("[^a-z0-9]+", "-");
  }
}
