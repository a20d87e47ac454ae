package org.mend4j.tests.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.runtime.service.ServiceProcess;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.LogitsProcess;
import org.mend4j.tests.support.TestModels;

/**
 * The control plane's life in the host, on the small reference model: it starts after the host's
 * {@code main}, never keeps a host alive, is off without {@code admin.port}, and a generated token
 * goes to a file only its owner can read, never to the log.
 */
class ControlLifecycleTest {

  private static final long[][] IDS = {{5, 17, 256, 999}};

  @TempDir Path tmp;

  @Test
  void aHostWhoseMainReturnsExitsWithTheAdminApiRunning() throws IOException {
    int port = ServiceProcess.freePort();
    Map<String, String> args = new LinkedHashMap<>();
    args.put("admin.port", Integer.toString(port));
    args.put("admin.token", "lifecycle-token");
    args.put("control.start.delay.ms", "0");
    // the host's main returns only once the admin API listens (and its log line is out), so the
    // exit below is with it running
    LogitsProcess.Result r =
        LogitsProcess.run(
            TestModels.tinyWithTokenizer(),
            IDS,
            List.of(AgentRun.javaagent(args), "-Dlogits.host.await.port=" + port),
            "admin-exit");
    assertThat(r.logits()).isNotEmpty();
    assertThat(r.log())
        .contains("admin API on http://127.0.0.1:")
        .doesNotContain("lifecycle-token");
  }

  @Test
  void withoutAnAdminPortThereIsNoAdminApi() throws IOException {
    LogitsProcess.Result r =
        LogitsProcess.run(
            TestModels.tinyWithTokenizer(),
            IDS,
            List.of(AgentRun.javaagent(Map.of("jmx", "false"))),
            "admin-off");
    assertThat(r.log()).contains("agent active").doesNotContain("admin API").doesNotContain("JMX");
  }

  @Test
  void aGeneratedTokenIsWrittenToAnOwnerOnlyFile() throws IOException {
    int port = ServiceProcess.freePort();
    Path tokenFile = tmp.resolve("admin.token");
    Map<String, String> args = new LinkedHashMap<>();
    args.put("admin.port", Integer.toString(port));
    args.put("admin.token.file", tokenFile.toString());
    try (DemoAppProcess app =
        DemoAppProcess.start(
            TestModels.tinyWithTokenizer(),
            "admin-token",
            List.of(AgentRun.javaagent(args)),
            List.of())) {
      AdminClient anonymous = new AdminClient(port, null);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.exists(tokenFile) && System.nanoTime() < deadline) {
        sleep();
      }
      String token = Files.readString(tokenFile).strip();
      assertThat(token).matches("[0-9a-f]{64}");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
          .isEqualTo("rw-------");
      AdminClient admin = anonymous.withToken(token);
      admin.awaitReady(Duration.ofSeconds(30));
      assertThat(anonymous.call("GET", "/mend4j/v1/status", null).statusCode()).isEqualTo(401);
      assertThat(Files.readString(app.log()))
          .contains("admin token generated and written to " + tokenFile)
          .doesNotContain(token);
    }
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
