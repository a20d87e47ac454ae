package org.mend4j.tests.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.TestModels;

/**
 * Generation throughput of demo-app (generated tokens per second) at 1 and 8 concurrent clients,
 * measured over loopback against its runnable jar in a forked JVM. Not a test: run it by hand.
 *
 * <pre>
 * mvn -q -pl demo-app,tests -am package -DskipTests
 * mvn -q -pl tests dependency:build-classpath -Dmdep.outputFile=target/bench.cp
 * java -cp tests/target/test-classes:$(cat tests/target/bench.cp) \
 *     -Dmend4j.repo.root=. -Dmend4j.tests.target=tests/target \
 *     org.mend4j.tests.bench.DemoAppThroughputBench [--model DIR | --gpt2-small-body] \
 *     [--clients 1,8] [--requests 16] [--max-new-tokens 32] [--threads N]
 * </pre>
 *
 * <p>Without {@code --model} it serves the tiny reference model (overhead-bound); {@code
 * --gpt2-small-body} writes a random GPT-2 small-sized checkpoint first (see {@link
 * RandomGpt2Checkpoint}). Each client count gets a warm-up round, then {@code --requests} greedy
 * requests per client.
 */
public final class DemoAppThroughputBench {

  private static final String PROMPT = "The capital of the country is a city by the river, and";

  private DemoAppThroughputBench() {}

  /**
   * Runs the benchmark and prints one line per client count.
   *
   * @param args see the class comment
   * @throws Exception if the service cannot be started or a request fails
   */
  public static void main(String[] args) throws Exception {
    Path model = null;
    List<Integer> clientCounts = List.of(1, 8);
    int requests = 16;
    int maxNewTokens = 32;
    List<String> appArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[++i]);
        case "--gpt2-small-body" -> model = RandomGpt2Checkpoint.gpt2SmallBody();
        case "--clients" -> clientCounts = parseInts(args[++i]);
        case "--requests" -> requests = Integer.parseInt(args[++i]);
        case "--max-new-tokens" -> maxNewTokens = Integer.parseInt(args[++i]);
        case "--threads" -> appArgs.addAll(List.of("--threads", args[++i]));
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (model == null) {
      model = TestModels.tinyWithTokenizer();
    }
    System.out.printf("model %s, %d new tokens per request%n", model, maxNewTokens);
    try (DemoAppProcess app = DemoAppProcess.start(model, "bench", List.of(), appArgs)) {
      for (int clients : clientCounts) {
        Load.greedy(app.service().client(), PROMPT, clients, 1, maxNewTokens);
        long start = System.nanoTime();
        long tokens = Load.greedy(app.service().client(), PROMPT, clients, requests, maxNewTokens);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "clients %d: %d requests, %d tokens in %.2f s = %.1f tokens/s, %.1f ms/request%n",
            clients,
            clients * requests,
            tokens,
            seconds,
            tokens / seconds,
            1000 * seconds / requests);
      }
    }
  }

  private static List<Integer> parseInts(String csv) {
    List<Integer> values = new ArrayList<>();
    for (String s : csv.split(",")) {
      values.add(Integer.parseInt(s.trim()));
    }
    return values;
  }
}
