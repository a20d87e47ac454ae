package org.mend4j.agent.admin;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.internal.LogText;
import org.mend4j.agent.internal.PrometheusText;

/**
 * What the admin server refused: by status, and authentication failures on their own (a counter in
 * {@code /metrics}, so probing shows up on a dashboard even when the log has gone quiet). Auth
 * failures are logged at most once per {@link #LOG_INTERVAL_NANOS}, with how many were left out.
 */
final class AdminCounters {

  static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final Map<Integer, LongAdder> refusedByStatus = new ConcurrentSkipListMap<>();
  private final LongAdder authFailures = new LongAdder();
  private final AtomicLong nextLog = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong unlogged = new AtomicLong();

  /** Counts a 4xx or 5xx answer. */
  void refused(int status) {
    refusedByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  /** Counts (and logs, rate-limited) a request without the right token. */
  void authFailed(String method, String path) {
    authFailures.increment();
    refused(401);
    long now = System.nanoTime();
    long due = nextLog.get();
    if ((due == Long.MIN_VALUE || now - due >= 0)
        && nextLog.compareAndSet(due, now + LOG_INTERVAL_NANOS)) {
      long skipped = unlogged.getAndSet(0);
      AgentLog.warn(
          "admin request "
              + LogText.clean(method)
              + " "
              + LogText.clean(path)
              + " refused: missing or wrong bearer token"
              + (skipped > 0 ? " (" + skipped + " more refused since the last message)" : "")
              + "; further refusals within a minute are counted in /metrics, not logged");
    } else {
      unlogged.incrementAndGet();
    }
  }

  /** The counters in the Prometheus text format. */
  String render() {
    PrometheusText m = new PrometheusText();
    m.family(
        "mend4j_admin_auth_failures_total",
        "counter",
        "Admin requests refused for a missing or wrong bearer token.");
    m.sample("mend4j_admin_auth_failures_total", authFailures.sum());
    m.family(
        "mend4j_admin_refused_requests_total", "counter", "Admin requests answered 4xx or 5xx.");
    refusedByStatus.forEach(
        (status, n) ->
            m.sample("mend4j_admin_refused_requests_total{status=\"" + status + "\"}", n.sum()));
    return m.toString();
  }
}
