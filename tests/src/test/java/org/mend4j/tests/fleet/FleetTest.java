package org.mend4j.tests.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.PostgresServer;
import org.mend4j.tests.support.TestModels;
import org.mend4j.tests.support.WorldFacts;

/**
 * Three demo-app replicas with the real agent jar in forked JVMs, sharing one edit log in a real
 * PostgreSQL server ({@code store=jdbc:postgresql://...}), behave as one service: edits created
 * through one replica and toggled through another are answered alike by all three (the convergence
 * latency, admin 201 until every replica answers, is printed), concurrent creates through two
 * replicas lose none and agree on one order, a database outage leaves every replica serving (0
 * failed host requests) with admin writes refused 503 and reads answered, a replica killed with
 * SIGKILL catches up when it starts again, and a replica serving another checkpoint refuses the
 * edits visibly in its status while the others go on. The steps run in order on one fleet; each
 * asserts what it adds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTest {

  private static final int EDITS = 20;
  private static final int CONCURRENT = 10;
  private static final long CONVERGE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long OUTAGE_MILLIS = 10_000;

  private PostgresServer db;
  private final List<ControlledService> replicas = new ArrayList<>();
  private final List<CounterFactRecord> facts = WorldFacts.oneRecordPerFact(2 * EDITS + 3);
  private final Map<String, String> originals = new LinkedHashMap<>();
  private final List<String> firstIds = new ArrayList<>();

  @BeforeAll
  void startFleet() throws Exception {
    db = PostgresServer.start("fleet");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<ControlledService>> started = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        int n = i;
        started.add(pool.submit(() -> replica("replica-" + n)));
      }
      for (Future<ControlledService> f : started) {
        replicas.add(f.get(180, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @AfterAll
  void stopFleet() {
    replicas.forEach(ControlledService::close);
    if (db != null) {
      db.close();
    }
  }

  private ControlledService replica(String name) throws IOException {
    return ControlledService.start("fleet-" + name, null, storeArgs(name));
  }

  private Map<String, String> storeArgs(String name) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("store", db.url());
    args.put("store.user", PostgresServer.USER);
    args.put("store.password.file", db.passwordFile().toString());
    args.put("store.replica", name);
    return args;
  }

  @Test
  @Order(1)
  void editsThroughOneReplicaAndTogglesThroughAnotherAreAnsweredAlikeByAll() throws Exception {
    List<CounterFactRecord> batch = facts.subList(0, EDITS);
    for (CounterFactRecord f : batch) {
      String before = answer(replicas.get(0), f.prompt());
      for (ControlledService r : replicas) {
        assertThat(answer(r, f.prompt())).as("unedited, %s", f.prompt()).isEqualTo(before);
      }
      originals.put(f.prompt(), before);
    }
    List<Long> created = new ArrayList<>();
    for (CounterFactRecord f : batch) {
      firstIds.add(id(replicas.get(0).admin().expect(201, "POST", EDITS_PATH, WorldFacts.json(f))));
      created.add(awaitAnswer(f.prompt(), f.targetNew(), System.nanoTime()));
    }
    report("create through replica 1", created);
    List<Long> toggled = new ArrayList<>();
    for (int i = 0; i < EDITS; i += 2) {
      CounterFactRecord f = batch.get(i);
      replicas
          .get(1)
          .admin()
          .expect(200, "POST", EDITS_PATH + "/" + firstIds.get(i) + "/disable", null);
      toggled.add(awaitAnswer(f.prompt(), originals.get(f.prompt()), System.nanoTime()));
    }
    report("disable through replica 2", toggled);

    for (int i = 0; i < EDITS; i++) {
      CounterFactRecord f = batch.get(i);
      String expected = i % 2 == 0 ? originals.get(f.prompt()) : f.targetNew();
      for (ControlledService r : replicas) {
        assertThat(answer(r, f.prompt()))
            .as("%s on %s", f.prompt(), r.admin().base())
            .isEqualTo(expected);
      }
    }
    assertSameState(replicas);
  }

  @Test
  @Order(2)
  void concurrentCreatesThroughTwoReplicasLoseNoneAndAgreeOnOneOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<List<String>>> made = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      AdminClient admin = replicas.get(r).admin();
      List<CounterFactRecord> mine =
          facts.subList(EDITS + r * CONCURRENT, EDITS + (r + 1) * CONCURRENT);
      made.add(pool.submit(creating(admin, mine)));
    }
    List<String> ids = new ArrayList<>();
    try {
      for (Future<List<String>> f : made) {
        ids.addAll(f.get(300, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ids).hasSize(2 * CONCURRENT).doesNotHaveDuplicates();
    JsonArray listed = awaitSameState(replicas);
    List<String> order = new ArrayList<>();
    listed.forEach(e -> order.add(id(e)));
    assertThat(order).as("every acknowledged edit, on every replica").containsAll(ids);
    assertThat(order.subList(0, EDITS))
        .as("the earlier edits keep their place")
        .isEqualTo(firstIds);
    assertThat(db.sql("SELECT count(*) FROM mend4j_log").trim())
        .as("one logged version per change")
        .isEqualTo(Long.toString(appliedVersion(replicas.get(2))));
    int holding = 0;
    for (CounterFactRecord f : facts.subList(EDITS, EDITS + 2 * CONCURRENT)) {
      String a = answer(replicas.get(0), f.prompt());
      for (ControlledService r : replicas) {
        assertThat(answer(r, f.prompt())).as(f.prompt()).isEqualTo(a);
      }
      holding += a.equals(f.targetNew()) ? 1 : 0;
    }
    System.out.printf(
        Locale.ROOT,
        "[fleet] concurrent creates: %d acknowledged, %d listed in one order on all 3 replicas,"
            + " %d of them answered with their target%n",
        ids.size(),
        order.size(),
        holding);
  }

  private static Callable<List<String>> creating(AdminClient admin, List<CounterFactRecord> fs) {
    return () -> {
      List<String> out = new ArrayList<>();
      for (CounterFactRecord f : fs) {
        out.add(id(admin.expect(201, "POST", EDITS_PATH, WorldFacts.json(f))));
      }
      return out;
    };
  }

  @Test
  @Order(3)
  void anOutageLeavesEveryReplicaServingAndRefusesWritesUntilTheDatabaseIsBack() throws Exception {
    JsonArray editsBefore = editsWithoutSource(replicas.get(0));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong served = new AtomicLong();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(replicas.size());
    CounterFactRecord probe = facts.get(1);
    for (ControlledService r : replicas) {
      clients.submit(
          () -> {
            while (running.get()) {
              try {
                r.answer(probe.prompt(), 1, Map.of());
                served.incrementAndGet();
              } catch (IOException | RuntimeException e) {
                failures.add(r.admin().base() + ": " + e);
              }
            }
          });
    }
    long stopped = System.nanoTime();
    db.stop();
    try {
      for (ControlledService r : replicas) {
        awaitStatus(r, s -> !s.getAsJsonObject("store").get("connected").getAsBoolean());
      }
      HttpResponse<String> create =
          replicas.get(0).admin().call("POST", EDITS_PATH, WorldFacts.json(facts.get(2 * EDITS)));
      HttpResponse<String> toggle =
          replicas
              .get(1)
              .admin()
              .call("POST", EDITS_PATH + "/" + firstIds.get(0) + "/enable", null);
      HttpResponse<String> variant =
          replicas.get(2).admin().call("PUT", "/mend4j/v1/variants/canary", "{\"edits\": []}");
      for (HttpResponse<String> r : List.of(create, toggle, variant)) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.body()).contains("edit store " + db.url() + " is unreachable");
      }
      for (ControlledService r : replicas) {
        assertThat(editsWithoutSource(r)).as("reads of the local state").isEqualTo(editsBefore);
      }
      long left = OUTAGE_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
      Thread.sleep(Math.max(0, left));
    } finally {
      db.start();
    }
    long back = System.nanoTime();
    for (ControlledService r : replicas) {
      awaitStatus(r, s -> s.getAsJsonObject("store").get("connected").getAsBoolean());
    }
    long reconnected = System.nanoTime() - back;
    replicas
        .get(1)
        .admin()
        .expect(200, "POST", EDITS_PATH + "/" + firstIds.get(0) + "/enable", null);
    long converged =
        awaitAnswer(facts.get(0).prompt(), facts.get(0).targetNew(), System.nanoTime());
    running.set(false);
    clients.shutdown();
    assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(failures).as("failed host requests").isEmpty();
    assertSameState(replicas);
    System.out.printf(
        Locale.ROOT,
        "[fleet] outage of %d s: %d host requests served, 0 failed; writes 503; every replica"
            + " reconnected %.0f ms after the database was back; a toggle then converged in %.0f"
            + " ms%n",
        TimeUnit.NANOSECONDS.toSeconds(back - stopped),
        served.get(),
        reconnected / 1e6,
        converged / 1e6);
  }

  @Test
  @Order(4)
  void aReplicaKilledWithSigkillCatchesUpWhenItStartsAgain() throws Exception {
    replicas.get(2).app().kill();
    ControlledService killed = replicas.remove(2);
    killed.close();
    CounterFactRecord fresh = facts.get(2 * EDITS);
    replicas.get(0).admin().expect(201, "POST", EDITS_PATH, WorldFacts.json(fresh));
    disableOverJmx(replicas.get(1), firstIds.get(1));
    long start = System.nanoTime();
    ControlledService restarted = replica("replica-3-restarted");
    replicas.add(restarted);
    answer(restarted, fresh.prompt()); // edits bind on the host's first forward pass
    awaitSameState(replicas);
    System.out.printf(
        Locale.ROOT,
        "[fleet] replica 3 killed (SIGKILL), 2 changes made without it (a create through the admin"
            + " API, a disable over JMX); restarted, it served the"
            + " latest state %.1f s after its start%n",
        (System.nanoTime() - start) / 1e9);
    for (CounterFactRecord f : List.of(fresh, facts.get(0), facts.get(1), facts.get(3))) {
      String expected = answer(replicas.get(0), f.prompt());
      assertThat(answer(restarted, f.prompt())).as(f.prompt()).isEqualTo(expected);
    }
    assertThat(answer(restarted, fresh.prompt())).isEqualTo(fresh.targetNew());
    assertThat(answer(restarted, facts.get(1).prompt()))
        .isEqualTo(originals.get(facts.get(1).prompt()));
  }

  @Test
  @Order(5)
  void aReplicaOfAnotherCheckpointRefusesTheEditsVisiblyAndTheOthersGoOn() throws Exception {
    var sibling =
        TestModels.sibling(WorldFacts.model(), "transformer.h.3.mlp.c_fc.weight", "world-sibling");
    try (ControlledService other =
        ControlledService.start("fleet-other-checkpoint", sibling, null, storeArgs("other"))) {
      long latest = appliedVersion(replicas.get(0));
      JsonObject status = awaitStatus(other, s -> appliedVersion(s) >= latest);
      assertThat(answer(other, facts.get(1).prompt())).as("it serves its own model").isNotEmpty();
      status =
          awaitStatus(
              other, s -> counts(s).get("refused").getAsInt() == counts(s).get("total").getAsInt());
      assertThat(counts(status).get("total").getAsInt()).isEqualTo(2 * EDITS + 1);
      assertThat(
              status.getAsJsonArray("edits").get(0).getAsJsonObject().get("message").getAsString())
          .contains("parameter 'transformer.h.3.mlp.c_fc.weight'")
          .contains("the edit was computed for another model");
      CounterFactRecord next = facts.get(2 * EDITS + 1);
      replicas.get(0).admin().expect(201, "POST", EDITS_PATH, WorldFacts.json(next));
      awaitAnswer(next.prompt(), next.targetNew(), System.nanoTime());
      awaitStatus(other, s -> counts(s).get("refused").getAsInt() == 2 * EDITS + 2);
      assertThat(counts(replicas.get(0).status()).get("refused").getAsInt()).isZero();
    }
  }

  // ---- helpers

  /** Disables an edit through the replica's MBean, as an operator's JMX console would. */
  private static void disableOverJmx(ControlledService r, String id) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(r.app().handle().pid()));
    String url;
    try {
      url = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
      connector
          .getMBeanServerConnection()
          .invoke(
              new ObjectName("org.mend4j:type=Edits"),
              "disable",
              new Object[] {id},
              new String[] {String.class.getName()});
    }
  }

  private static final String EDITS_PATH = "/mend4j/v1/edits";

  private static String answer(ControlledService s, String prompt) throws IOException {
    return s.answer(prompt, 1, Map.of()).trim();
  }

  /**
   * Waits until every replica answers {@code prompt} with {@code expected}.
   *
   * @return nanoseconds from {@code since} until the last replica did
   */
  private long awaitAnswer(String prompt, String expected, long since) throws IOException {
    long deadline = since + CONVERGE_TIMEOUT_NANOS;
    long last = since;
    for (ControlledService r : replicas) {
      String got;
      while (!(got = answer(r, prompt)).equals(expected)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              r.admin().base()
                  + " still answers '"
                  + got
                  + "' to '"
                  + prompt
                  + "', expected '"
                  + expected
                  + "'");
        }
      }
      last = Math.max(last, System.nanoTime());
    }
    return last - since;
  }

  private static void report(String what, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "[fleet] convergence, %s, %d changes: p50 %.0f ms, p99 %.0f ms (admin answer until all 3"
            + " replicas answer the new fact; each, in order, ms: %s)%n",
        what,
        sorted.size(),
        percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.99) / 1e6,
        nanos.stream().map(n -> Long.toString(Math.round(n / 1e6))).toList());
  }

  private static double percentile(List<Long> sorted, double p) {
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** Asserts that every replica lists the same edits (ids, order, flags) and state version. */
  private static void assertSameState(List<ControlledService> fleet) throws IOException {
    JsonArray first = editsWithoutSource(fleet.get(0));
    long version = appliedVersion(fleet.get(0));
    for (ControlledService r : fleet) {
      assertThat(editsWithoutSource(r)).as("edits on %s", r.admin().base()).isEqualTo(first);
      JsonObject store = r.status().getAsJsonObject("store");
      assertThat(store.get("applied_version").getAsLong()).isEqualTo(version);
      assertThat(store.get("versions_behind").getAsLong()).isZero();
    }
  }

  private static JsonArray awaitSameState(List<ControlledService> fleet) throws Exception {
    long deadline = System.nanoTime() + CONVERGE_TIMEOUT_NANOS;
    while (true) {
      try {
        assertSameState(fleet);
        return editsWithoutSource(fleet.get(0));
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private static JsonArray editsWithoutSource(ControlledService r) throws IOException {
    JsonArray out = new JsonArray();
    for (JsonElement e : r.admin().expect(200, "GET", EDITS_PATH, null).getAsJsonArray()) {
      JsonObject o = e.getAsJsonObject().deepCopy();
      o.remove("source");
      out.add(o);
    }
    return out;
  }

  private static JsonObject awaitStatus(ControlledService r, Predicate<JsonObject> condition)
      throws Exception {
    long deadline = System.nanoTime() + CONVERGE_TIMEOUT_NANOS;
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      last = r.status();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(r.admin().base() + " did not reach the expected status: " + last);
  }

  private static long appliedVersion(ControlledService r) throws IOException {
    return appliedVersion(r.status());
  }

  private static long appliedVersion(JsonObject status) {
    return status.getAsJsonObject("store").get("applied_version").getAsLong();
  }

  private static JsonObject counts(JsonObject status) {
    return status.getAsJsonObject("edit_counts");
  }

  private static String id(JsonElement e) {
    return e.getAsJsonObject().get("id").getAsString();
  }
}
