package org.mend4j.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ControlPlaneTest {

  private static StackTraceElement frame(String type, String method) {
    return new StackTraceElement(type, method, null, -1);
  }

  @Test
  void theHostsMainIsTheBottomFrameOfTheThreadThatRanPremain() {
    assertThat(ControlPlane.inMain(new StackTraceElement[0])).isFalse();
    assertThat(
            ControlPlane.inMain(
                new StackTraceElement[] {
                  frame("org.mend4j.agent.entry.Mend4jAgent", "premain"),
                  frame("sun.instrument.InstrumentationImpl", "loadClassAndCallPremain")
                }))
        .as("still in premain")
        .isFalse();
    assertThat(ControlPlane.inMain(new StackTraceElement[] {frame("com.acme.Service", "<clinit>")}))
        .as("the main class is still initialising")
        .isFalse();
    assertThat(
            ControlPlane.inMain(
                new StackTraceElement[] {
                  frame("java.lang.Thread", "sleep"), frame("com.acme.Service", "main")
                }))
        .isTrue();
  }

  @Test
  void waitingEndsWhenTheMainThreadRunsMainOrHasEnded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread host = new Thread(() -> awaitQuietly(release), "host-main");
    host.start();
    long start = System.nanoTime();
    Thread waiter = new Thread(() -> ControlPlane.awaitHostMain(host));
    waiter.start();
    Thread.sleep(200);
    assertThat(waiter.isAlive()).as("the host thread is not in a main method").isTrue();
    release.countDown();
    waiter.join(5000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    ControlPlane.awaitHostMain(null); // attached or unknown: no wait
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void adminSettingsComeFromEveryConfigurationSource() {
    AgentSettings fromEnv =
        AgentSettings.of(
            null, Map.of(), Map.of("MEND4J_ADMIN_PORT", "9400", "MEND4J_ADMIN_TOKEN", "t"));
    assertThat(fromEnv.control().adminPort()).hasValue(9400);
    assertThat(fromEnv.control().adminToken().value()).isEqualTo("t");
    assertThat(fromEnv.control().toString())
        .as("the token is never shown")
        .contains("adminToken=(secret)");
    AgentSettings bad =
        AgentSettings.of("admin.port=http", Map.of("mend4j.admin.port", "1"), Map.of());
    assertThat(bad.control().adminPort()).isEmpty();
    assertThat(bad.warnings()).anyMatch(w -> w.contains("admin.port=http"));
  }
}
