package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.NoDjlHost;
import org.mend4j.tests.support.TestPaths;

/**
 * A host without DJL runs normally: the agent, which may yet see DJL loaded later in some class
 * loader, says once that it waits for it, and nothing else.
 */
class AgentWithoutDjlTest {

  @Test
  void theAgentWaitsForDjlAndTheHostRuns() throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            AgentRun.javaagent(Map.of("edits", "/nonexistent")),
            "-cp",
            TestPaths.testClasses().toString(),
            NoDjlHost.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("host without DJL ran")
        .contains(
            "DJL is not on the system class path: the agent meets it in whichever class loader the host loads it")
        .doesNotContain("ERROR")
        .doesNotContain("WARN");
  }
}
