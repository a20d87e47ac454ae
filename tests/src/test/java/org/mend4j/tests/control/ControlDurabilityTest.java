package org.mend4j.tests.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.WorldFacts;

/**
 * kill -9 at random points of a stream of creates and toggles, then a restart on the same edits
 * directory: every acknowledged change is there, and the service starts every time. {@value
 * #DEFAULT_TRIALS} trials by default, more with {@code -Dmend4j.durability.trials=N} (the seed is
 * fixed, {@code -Dmend4j.durability.seed} changes it).
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class ControlDurabilityTest {

  private static final int DEFAULT_TRIALS = 20;

  @TempDir Path tmp;

  /** What the acknowledged answers promise: the edits that exist and their flags. */
  private static final class Promised {
    final Map<String, Boolean> enabled = new HashMap<>();

    /** Edits whose last change was sent but not acknowledged: either outcome is allowed. */
    final Set<String> uncertain = new HashSet<>();

    /** Creates sent but not acknowledged: the edit may or may not exist. */
    int unacknowledgedCreates;

    /** Acknowledged changes over all trials. */
    int creates;

    int toggles;
  }

  @Test
  void noAcknowledgedChangeIsLostToKillNine() throws Exception {
    int trials = Integer.getInteger("mend4j.durability.trials", DEFAULT_TRIALS);
    Random random = new Random(Long.getLong("mend4j.durability.seed", 20261201L));
    List<CounterFactRecord> facts = WorldFacts.oneRecordPerFact(trials * 4);
    Path edits = tmp.resolve("edits");
    Promised promised = new Promised();
    int next = 0;
    for (int trial = 0; trial <= trials; trial++) {
      try (ControlledService service =
          ControlledService.start("durable-" + trial, edits, Map.of())) {
        check(service.admin(), promised);
        String log = Files.readString(service.app().log());
        assertThat(log).doesNotContain("is unreadable").doesNotContain("skipped edit file");
        if (trial == trials) {
          break;
        }
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch created = new CountDownLatch(1);
        int first = next;
        long seed = random.nextLong();
        Thread operations =
            new Thread(
                () -> operate(service.admin(), promised, facts, first, seed, killed, created));
        operations.start();
        // The kill comes at a random point after the trial's first acknowledged create (the
        // first edit loads the model and editor, seconds on a loaded machine), so every trial
        // kills in the middle of creates and toggles whatever the machine's speed.
        created.await(120, TimeUnit.SECONDS);
        Thread.sleep(random.nextInt(2000));
        killed.set(true);
        service.app().kill();
        operations.join(60_000);
        assertThat(operations.isAlive()).isFalse();
        next = first + 4;
      }
    }
    System.out.printf(
        "%d kill -9 trials: %d acknowledged creates and %d acknowledged toggles, none lost%n",
        trials, promised.creates, promised.toggles);
    assertThat(promised.creates).as("acknowledged creates").isGreaterThanOrEqualTo(trials);
    assertThat(promised.toggles).as("acknowledged toggles").isGreaterThanOrEqualTo(trials);
  }

  /**
   * Creates (at most four per trial, facts first..first+3) and toggles, recording what each
   * acknowledged answer promises, until the service is killed.
   */
  private static void operate(
      AdminClient admin,
      Promised promised,
      List<CounterFactRecord> facts,
      int first,
      long seed,
      AtomicBoolean killed,
      CountDownLatch created) {
    Random random = new Random(seed);
    int sent = 0;
    while (!killed.get()) {
      List<String> ids = new ArrayList<>(promised.enabled.keySet());
      boolean create = sent < 4 && (ids.isEmpty() || random.nextInt(3) == 0);
      if (create) {
        CounterFactRecord fact = facts.get(first + sent++);
        promised.unacknowledgedCreates++;
        try {
          HttpResponse<String> r = admin.call("POST", "/mend4j/v1/edits", WorldFacts.json(fact));
          if (r.statusCode() == 201) {
            JsonObject o = com.google.gson.JsonParser.parseString(r.body()).getAsJsonObject();
            promised.enabled.put(o.get("id").getAsString(), true);
            promised.unacknowledgedCreates--;
            promised.creates++;
            created.countDown();
          }
        } catch (IOException e) {
          return; // killed mid-request
        }
      } else if (!ids.isEmpty()) {
        String id = ids.get(random.nextInt(ids.size()));
        boolean enable = !promised.enabled.get(id);
        promised.uncertain.add(id);
        try {
          HttpResponse<String> r =
              admin.call(
                  "POST", "/mend4j/v1/edits/" + id + (enable ? "/enable" : "/disable"), null);
          if (r.statusCode() == 200) {
            promised.enabled.put(id, enable);
            promised.uncertain.remove(id);
            promised.toggles++;
          }
        } catch (IOException e) {
          return;
        }
      }
    }
  }

  /** After a restart: every acknowledged edit exists with its acknowledged flag. */
  private static void check(AdminClient admin, Promised promised) throws IOException {
    Map<String, Boolean> found = new HashMap<>();
    for (JsonElement e : admin.expect(200, "GET", "/mend4j/v1/edits", null).getAsJsonArray()) {
      JsonObject o = e.getAsJsonObject();
      found.put(o.get("id").getAsString(), o.get("enabled").getAsBoolean());
    }
    for (Map.Entry<String, Boolean> p : promised.enabled.entrySet()) {
      assertThat(found).as("acknowledged edit " + p.getKey()).containsKey(p.getKey());
      if (!promised.uncertain.contains(p.getKey())) {
        assertThat(found.get(p.getKey())).as("flag of " + p.getKey()).isEqualTo(p.getValue());
      }
    }
    // what the restart shows is now the truth the next trial starts from
    assertThat(found.size() - promised.enabled.size())
        .as("edits beyond the acknowledged ones come from unacknowledged creates")
        .isBetween(0, promised.unacknowledgedCreates);
    promised.enabled.clear();
    promised.enabled.putAll(found);
    promised.uncertain.clear();
    promised.unacknowledgedCreates = 0;
  }
}
