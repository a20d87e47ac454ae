package org.mend4j.agent.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gate switches a module's state only with no pass running, lets passes of one state run
 * together, and does not let a stream of one state starve another.
 */
class WeightStateGateTest {

  private final List<String> switches = new CopyOnWriteArrayList<>();
  private final WeightStateGate gate = new WeightStateGate("base");

  private Object switchTo(Object state) {
    switches.add((String) state);
    return state;
  }

  /** Starts a pass for {@code state} on a new thread; it exits when {@code release} opens. */
  private Thread pass(String state, CountDownLatch admitted, CountDownLatch release) {
    Thread t =
        new Thread(
            () -> {
              gate.enter(state, this::switchTo);
              admitted.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                gate.exit();
              }
            });
    t.start();
    return t;
  }

  private static void awaitBlocked(Thread t) throws InterruptedException {
    for (int i = 0; i < 10_000 && t.getState() != Thread.State.WAITING; i++) {
      Thread.sleep(1);
    }
    assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
  }

  @Test
  void passesOfOneStateRunTogetherAndAnotherStateWaitsForThemAll() throws Exception {
    CountDownLatch releaseA = new CountDownLatch(1);
    CountDownLatch admittedA = new CountDownLatch(2);
    Thread a1 = pass("A", admittedA, releaseA);
    Thread a2 = pass("A", admittedA, releaseA);
    assertThat(admittedA.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(switches).containsExactly("A");

    CountDownLatch admittedB = new CountDownLatch(1);
    CountDownLatch releaseB = new CountDownLatch(1);
    Thread b = pass("B", admittedB, releaseB);
    awaitBlocked(b);
    // A pass for A arriving while B waits waits too: B is not starved.
    CountDownLatch admittedLateA = new CountDownLatch(1);
    Thread lateA = pass("A", admittedLateA, new CountDownLatch(0));
    awaitBlocked(lateA);
    assertThat(admittedB.getCount()).isEqualTo(1);

    releaseA.countDown();
    assertThat(admittedB.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(switches).containsExactly("A", "B");
    awaitBlocked(lateA);
    releaseB.countDown();
    assertThat(admittedLateA.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(switches).containsExactly("A", "B", "A");
    for (Thread t : List.of(a1, a2, b, lateA)) {
      t.join(10_000);
    }
    assertThat(gate.switches()).isEqualTo(3);
  }

  @Test
  void theSwitchReportsTheStateTheWeightsEndUpIn() {
    assertThat(gate.enter("B", s -> "base")).isEqualTo("base");
    gate.exit();
    assertThat(gate.enter("base", this::switchTo)).isEqualTo("base");
    gate.exit();
    assertThat(switches).isEmpty();
  }
}
