package org.mend4j.tests.demoapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.service.Completion;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.TestModels;

/**
 * A bounded loopback load test: 8 concurrent clients send 200 greedy requests each to one demo-app
 * process; every request must succeed and every answer must equal the answer a single client got
 * for the same prompt (concurrent requests must not see each other's state).
 */
class DemoAppLoadTest {

  private static final int CLIENTS = 8;
  private static final int REQUESTS_PER_CLIENT = 200;
  private static final int MAX_NEW_TOKENS = 4;
  private static final List<String> PROMPTS =
      List.of(
          "Hello world",
          "The capital of the country is",
          "She said it's the best place",
          "Numbers like 42 and 1000",
          "Mountains, lakes and forests");

  @Test
  void eightClientsGetTheSingleClientAnswersWithoutErrors() throws Exception {
    try (DemoAppProcess app =
        DemoAppProcess.start(
            TestModels.tinyWithTokenizer(), "load", List.of(), List.of("--threads", "8"))) {
      Map<String, Completion> expected = new ConcurrentHashMap<>();
      for (String prompt : PROMPTS) {
        expected.put(prompt, app.generate(prompt, MAX_NEW_TOKENS));
      }
      assertThat(expected.values()).anySatisfy(c -> assertThat(c.tokens()).isPositive());

      AtomicInteger errors = new AtomicInteger();
      List<String> mismatches = new ArrayList<>();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        done.add(
            clients.submit(
                () -> {
                  int answered = 0;
                  for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                    String prompt = PROMPTS.get((client + i) % PROMPTS.size());
                    try {
                      Completion got = app.generate(prompt, MAX_NEW_TOKENS);
                      answered++;
                      if (!got.equals(expected.get(prompt))) {
                        synchronized (mismatches) {
                          mismatches.add(prompt + " -> " + got);
                        }
                      }
                    } catch (Exception e) {
                      errors.incrementAndGet();
                    }
                  }
                  return answered;
                }));
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(5, TimeUnit.MINUTES)).as("clients finished").isTrue();
      int answered = 0;
      for (Future<Integer> f : done) {
        answered += f.get();
      }
      assertThat(errors.get()).as("failed requests").isZero();
      assertThat(mismatches).as("answers that differ from the single-client answer").isEmpty();
      assertThat(answered).isEqualTo(CLIENTS * REQUESTS_PER_CLIENT);
    }
  }
}
