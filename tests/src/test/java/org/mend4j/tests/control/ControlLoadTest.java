package org.mend4j.tests.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.Launches;
import org.mend4j.tests.support.WorldFacts;

/**
 * Eight clients generate for ten seconds while another thread toggles an edit every 10 ms through
 * the admin API: no request fails, and every answer is exactly the edited or the unedited one (a
 * request is served with one snapshot from its first layer call to its last, never a mix), on the
 * gated factored path that composed edits take (each toggle swaps the composed factors; the merged
 * fast path, which gated rows skip, is covered by MergedFastPathTest and AgentLogitsTest). The same
 * on the TorchScript host, whose module weights are switched in place between forward passes, and
 * on the Spring Boot host, where DJL comes from the executable jar through Spring Boot's launcher
 * class loader and requests through embedded Tomcat.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class ControlLoadTest {

  private static final int CLIENTS = 8;
  private static final long MILLIS = 10_000;
  private static final long TOGGLE_EVERY_MILLIS = 10;
  private static final int TOKENS = 4;

  @ParameterizedTest(name = "{0} serving {1}")
  @CsvSource({"demo-app, world-gpt2", "demo-app, world-gpt2-torchscript", "spring-app, world-gpt2"})
  void togglingUnderLoadNeverTearsARequest(String host, String served) throws Exception {
    CounterFactRecord kethia = WorldFacts.fact(WorldFacts.KETHIA);
    List<String> prompts = List.of(kethia.prompt(), kethia.rephrasePrompt());
    try (ControlledService service =
        host.equals("spring-app")
            ? ControlledService.start(
                Launches.springApp(),
                List.of(),
                "control-load-spring",
                WorldFacts.models().resolve(served),
                null,
                Map.of())
            : ControlledService.start(
                "control-load-" + served, WorldFacts.models().resolve(served), null, Map.of())) {
      AdminClient admin = service.admin();
      Map<String, String> unedited = new ConcurrentHashMap<>();
      for (String p : prompts) {
        unedited.put(p, service.answer(p, TOKENS, Map.of()));
      }
      String id =
          admin
              .expect(201, "POST", "/mend4j/v1/edits", WorldFacts.json(kethia))
              .getAsJsonObject()
              .get("id")
              .getAsString();
      Map<String, String> edited = new ConcurrentHashMap<>();
      for (String p : prompts) {
        edited.put(p, service.answer(p, TOKENS, Map.of()));
        assertThat(edited.get(p)).as(p).isNotEqualTo(unedited.get(p));
      }
      // a traced module's weights are changed in place while edits are active: never lent
      assertThat(Files.readString(service.app().log()))
          .as("what the in-process edit was computed on")
          .contains(
              served.endsWith("torchscript")
                  ? "loaded model"
                  : "computing edits on the host's own weights");

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger toggles = new AtomicInteger();
      AtomicLong editedAnswers = new AtomicLong();
      AtomicLong uneditedAnswers = new AtomicLong();
      List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
      List<Future<?>> work = new ArrayList<>();
      work.add(
          pool.submit(
              () -> {
                boolean on = true;
                while (!stop.get()) {
                  long next = System.nanoTime() + TOGGLE_EVERY_MILLIS * 1_000_000;
                  on = !on;
                  try {
                    admin.expect(
                        200,
                        "POST",
                        "/mend4j/v1/edits/" + id + (on ? "/enable" : "/disable"),
                        null);
                    toggles.incrementAndGet();
                  } catch (IOException | AssertionError e) {
                    problems.add("toggle: " + e);
                  }
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                  }
                }
              }));
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        work.add(
            pool.submit(
                () -> {
                  int n = 0;
                  while (!stop.get()) {
                    String p = prompts.get((client + n++) % prompts.size());
                    try {
                      String a = service.answer(p, TOKENS, Map.of());
                      if (a.equals(edited.get(p))) {
                        editedAnswers.incrementAndGet();
                      } else if (a.equals(unedited.get(p))) {
                        uneditedAnswers.incrementAndGet();
                      } else {
                        problems.add("torn answer to '" + p + "': '" + a + "'");
                      }
                    } catch (IOException e) {
                      problems.add("request failed: " + e);
                    }
                  }
                }));
      }
      Thread.sleep(MILLIS);
      stop.set(true);
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      long requests = editedAnswers.get() + uneditedAnswers.get();
      System.out.printf(
          "load: %d requests in %d s (%d edited, %d unedited), %d toggles, problems %s%n",
          requests,
          MILLIS / 1000,
          editedAnswers.get(),
          uneditedAnswers.get(),
          toggles.get(),
          problems.subList(0, Math.min(5, problems.size())));
      assertThat(problems).isEmpty();
      assertThat(toggles.get()).as("toggles (one per 10 ms at best)").isGreaterThan(300);
      assertThat(editedAnswers.get()).isPositive();
      assertThat(uneditedAnswers.get()).isPositive();
      JsonObject counters = service.status().getAsJsonObject("counters");
      assertThat(counters.get("suppressed_errors").getAsLong()).isZero();
      assertThat(counters.get("edited_calls").getAsLong()).isPositive();
      assertThat(counters.get("merged_calls").getAsLong())
          .as("composed edits are gated, never merged")
          .isZero();
      if (service.status().has("torchscript")) {
        JsonObject modules = service.status().getAsJsonObject("torchscript");
        System.out.println("TorchScript weights under load: " + modules);
        assertThat(modules.get("weight_switches").getAsLong()).isPositive();
      }
    }
  }
}
