package org.mend4j.tests.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code ./mend4j} run as a user runs it, in a child process. */
public final class MendCli {

  private MendCli() {}

  /**
   * Runs {@code ./mend4j ARGS} and returns its combined output, asserting it exits 0.
   *
   * @throws IOException if it cannot be started
   */
  public static String run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  /**
   * Runs {@code ./mend4j ARGS} with further environment variables (such as {@code
   * MEND4J_JAVA_OPTS}) and returns its combined output, asserting it exits 0.
   *
   * @throws IOException if it cannot be started
   */
  public static String run(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(TestPaths.repoRoot().resolve("mend4j").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** The value of the line {@code agent arguments: ...} that {@code mend4j inspect} prints. */
  public static String agentArguments(String inspectReport) {
    String prefix = "agent arguments: ";
    return inspectReport
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no agent arguments in:\n" + inspectReport))
        .substring(prefix.length());
  }
}
