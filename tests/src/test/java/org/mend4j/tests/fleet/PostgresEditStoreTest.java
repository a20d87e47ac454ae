package org.mend4j.tests.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mend4j.agent.persist.PersistedState;
import org.mend4j.agent.persist.PostgresEditStore;
import org.mend4j.agent.persist.StateChange;
import org.mend4j.agent.persist.StoreUnavailableException;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.ParamDelta;
import org.mend4j.tests.support.PostgresServer;

/**
 * The agent's PostgreSQL edit store in this JVM against a real server, for what a fleet of forked
 * replicas shows too slowly or not at all: 200 changes committed concurrently through two stores
 * (two replicas) all land in one order; an edit file whose bytes changed in the database is left
 * out by name, with the rest of the state applied; a change committed without an announcement is
 * found by polling; a schema newer than the agent's is refused; a wrong password is reported
 * without the password; a stopped server makes a commit fail as unreachable, changing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresEditStoreTest {

  private PostgresServer db;
  private String password;

  @BeforeAll
  void start() throws IOException {
    db = PostgresServer.start("store");
    password = Files.readString(db.passwordFile()).strip();
  }

  @AfterAll
  void stop() {
    db.close();
  }

  @Test
  void concurrentChangesThroughTwoStoresLoseNone() throws Exception {
    String url = db.createDatabase("concurrent");
    List<EditRegistry> registries = List.of(registry(), registry());
    List<PostgresEditStore> stores = List.of(store(url, "a"), store(url, "b"));
    for (int i = 0; i < 2; i++) {
      stores.get(i).load(registries.get(i), java.util.Set.of());
    }
    int threads = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                for (int k = 0; k < each; k++) {
                  Edit e = edit("t" + thread + "-" + k);
                  stores.get(thread % 2).commit(registries.get(thread % 2), add(e));
                  // and switch an edit made through the other store, read from the latest state
                  stores.get(thread % 2).commit(registries.get(thread % 2), toggleFirst());
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(300, TimeUnit.SECONDS);
    }
    pool.shutdown();
    int changes = 2 * threads * each;
    assertThat(db.sql("concurrent", "SELECT version FROM mend4j_state").trim())
        .isEqualTo(Integer.toString(changes));
    assertThat(db.sql("concurrent", "SELECT count(*) FROM mend4j_log").trim())
        .isEqualTo(Integer.toString(changes));
    List<String> order = awaitSame(registries, threads * each);
    assertThat(order).hasSize(threads * each).doesNotHaveDuplicates();
    boolean firstEnabled = changes / 2 % 2 == 0; // every toggle switched the first edit
    assertThat(registries.get(0).current().edits().get(0).enabled()).isEqualTo(firstEnabled);
  }

  @Test
  void anEditWhoseBytesChangedInTheStoreIsLeftOutByNameAndTheRestApplies() throws Exception {
    String url = db.createDatabase("digests");
    EditRegistry writerRegistry = registry();
    PostgresEditStore writer = store(url, "writer");
    writer.load(writerRegistry, java.util.Set.of());
    Edit kept = edit("kept");
    Edit flipped = edit("flipped");
    Edit rewritten = edit("rewritten");
    for (Edit e : List.of(kept, flipped, rewritten)) {
      writer.commit(writerRegistry, add(e));
    }
    // one byte of tensor data changed: the row's SHA-256 no longer matches
    db.sql(
        "digests",
        "UPDATE mend4j_edits SET bytes = overlay(bytes placing '\\x55'::bytea from length(bytes) - 2"
            + " for 1) WHERE id = '"
            + flipped.id()
            + "'");
    // changed with the row's SHA-256 recomputed: the edit file's own digests still catch it
    db.sql(
        "digests",
        "UPDATE mend4j_edits SET bytes = overlay(bytes placing '\\x55'::bytea from length(bytes) - 2"
            + " for 1) WHERE id = '"
            + rewritten.id()
            + "'; UPDATE mend4j_edits SET sha256 = encode(sha256(bytes), 'hex') WHERE id = '"
            + rewritten.id()
            + "'");
    EditRegistry late = registry();
    PostgresEditStore reader = store(url, "late");
    String log = stderrOf(() -> reader.load(late, java.util.Set.of()));
    assertThat(late.current().edits()).extracting(EditEntry::id).containsExactly(kept.id());
    assertThat(log)
        .contains("edit " + flipped.id() + " left out: its bytes' SHA-256 is")
        .contains("(corrupted)")
        .contains("edit " + rewritten.id() + " left out:")
        .contains("corrupted edit file");
    JsonObject status = reader.status();
    assertThat(status.getAsJsonArray("left_out_edits").toString())
        .contains(flipped.id())
        .contains(rewritten.id());
    assertThat(status.get("applied_version").getAsLong()).isEqualTo(3);
  }

  @Test
  void aChangeCommittedWithoutAnAnnouncementIsFoundByPolling() throws Exception {
    String url = db.createDatabase("polling");
    EditRegistry registry = registry();
    PostgresEditStore store = store(url, "poller");
    store.load(registry, java.util.Set.of());
    Edit e = edit("polled");
    store.commit(registry, add(e));
    // another writer that changes the state without NOTIFY (or whose announcement was lost)
    db.sql(
        "polling",
        "UPDATE mend4j_state SET version = version + 1,"
            + " doc = replace(doc, '\"enabled\": true', '\"enabled\": false')");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (registry.current().edit(e.id()).orElseThrow().enabled()) {
      assertThat(System.nanoTime()).as("applied within 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(store.status().get("applied_version").getAsLong()).isEqualTo(2);
  }

  @Test
  void aSchemaNewerThanTheAgentsIsRefused() throws Exception {
    String url = db.createDatabase("newer");
    store(url, "first").load(registry(), java.util.Set.of());
    db.sql("newer", "INSERT INTO mend4j_schema (version) VALUES (99)");
    PostgresEditStore older = store(url, "older");
    EditRegistry registry = registry();
    older.load(registry, java.util.Set.of());
    assertThat(older.status().get("last_error").getAsString())
        .contains("schema is version 99, newer than this agent's");
    assertThatThrownBy(() -> older.commit(registry, add(edit("x"))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("newer than this agent's");
    assertThat(db.sql("newer", "SELECT count(*) FROM mend4j_edits").trim()).isEqualTo("0");
  }

  @Test
  void aWrongPasswordIsReportedWithoutThePassword() throws Exception {
    String wrong = "not-the-password-7f3a";
    PostgresEditStore store =
        new PostgresEditStore(db.url(), PostgresServer.USER, wrong, 200, "wrong");
    String log = stderrOf(() -> store.load(registry(), java.util.Set.of()));
    JsonObject status = store.status();
    assertThat(status.get("connected").getAsBoolean()).isFalse();
    assertThat(status.get("last_error").getAsString()).contains("password authentication failed");
    assertThat(status.toString() + log).doesNotContain(wrong).doesNotContain(password);
  }

  @Test
  void aStoppedServerMakesACommitFailAsUnreachableAndChangesNothing() throws Exception {
    String url = db.createDatabase("outage");
    EditRegistry registry = registry();
    PostgresEditStore store = store(url, "outage");
    store.load(registry, java.util.Set.of());
    store.commit(registry, add(edit("before")));
    db.stop();
    try {
      assertThatThrownBy(() -> store.commit(registry, add(edit("during"))))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(registry.current().edits()).hasSize(1);
    } finally {
      db.start();
    }
    store.commit(registry, add(edit("after")));
    assertThat(registry.current().edits()).hasSize(2);
    assertThat(db.sql("outage", "SELECT count(*) FROM mend4j_edits").trim()).isEqualTo("2");
  }

  // ---- helpers

  private PostgresEditStore store(String url, String replica) {
    return new PostgresEditStore(url, PostgresServer.USER, password, 200, replica);
  }

  /** A registry whose host binds every edit (the binding rules are not what is tested here). */
  private static EditRegistry registry() {
    EditRegistry r =
        new EditRegistry(
            new AtomicReference<Snapshot>(),
            (edits, refuse) -> {
              Map<String, Binding> out = new LinkedHashMap<>();
              for (Edit e : edits) {
                List<Binding.Target> targets = new ArrayList<>();
                e.params()
                    .forEach(
                        p ->
                            targets.add(
                                new Binding.Target(
                                    p.name(), p.fingerprint(), List.of("x"), false)));
                out.put(e.id(), Binding.bound(targets));
              }
              return out;
            },
            () -> true,
            false);
    r.settle();
    return r;
  }

  private static StateChange add(Edit e) {
    byte[] file = EditFile.bytes(e);
    return new StateChange() {
      @Override
      public PersistedState apply(PersistedState latest) {
        return latest.withEdit(e.id(), true);
      }

      @Override
      public Edit addedEdit() {
        return e;
      }

      @Override
      public byte[] addedFile() {
        return file;
      }

      @Override
      public String summary() {
        return "add " + e.id();
      }
    };
  }

  private static StateChange toggleFirst() {
    return new StateChange() {
      @Override
      public PersistedState apply(PersistedState latest) {
        String first = latest.enabled().keySet().iterator().next();
        return latest.withEdit(first, !latest.enabled().get(first));
      }

      @Override
      public String summary() {
        return "toggle the first edit";
      }
    };
  }

  private static Edit edit(String prompt) {
    SplittableRandom random = new SplittableRandom(prompt.hashCode());
    float[] u = new float[3 * 4];
    float[] d = new float[3 * 8];
    for (int i = 0; i < u.length; i++) {
      u[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) random.nextGaussian();
    }
    ParamDelta p =
        new ParamDelta(
            "transformer.h.1.mlp.c_fc.weight", new long[] {4, 8}, "sha256:fc", 3, u, d, 0.5f);
    return Edit.create(
        Instant.parse("2025-01-01T00:00:00Z"),
        "test-editor",
        List.of(new EditRequest(prompt, "target", null)),
        List.of(p));
  }

  private static List<String> awaitSame(List<EditRegistry> registries, int size)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<List<String>> orders = new ArrayList<>();
      registries.forEach(r -> orders.add(r.current().edits().stream().map(EditEntry::id).toList()));
      if (orders.get(0).size() == size && orders.get(0).equals(orders.get(1))) {
        return orders.get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the two registries disagree: " + orders);
      }
      Thread.sleep(50);
    }
  }

  private static String stderrOf(Runnable r) {
    PrintStream err = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(err);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
