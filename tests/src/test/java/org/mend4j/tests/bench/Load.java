package org.mend4j.tests.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mend4j.runtime.service.ServiceClient;

/** The load the benchmarks put on a service: clients sending greedy requests, each in turn. */
final class Load {

  private Load() {}

  /**
   * Every one of {@code clients} clients sends {@code requests} greedy requests for {@code prompt}
   * one after another.
   *
   * @return the tokens generated in all
   * @throws Exception if a request fails
   */
  static long greedy(
      ServiceClient service, String prompt, int clients, int requests, int maxNewTokens)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        results.add(
            pool.submit(
                () -> {
                  long tokens = 0;
                  for (int i = 0; i < requests; i++) {
                    tokens += service.generate(prompt, maxNewTokens).tokens();
                  }
                  return tokens;
                }));
      }
      long tokens = 0;
      for (Future<Long> result : results) {
        tokens += result.get();
      }
      return tokens;
    } finally {
      pool.shutdown();
    }
  }
}
