package org.mend4j.agent.control;

import java.util.Locale;
import java.util.Map;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.internal.PrometheusText;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.Snapshot;

/** {@code GET /metrics}: the agent's counters in the Prometheus text exposition format 0.0.4. */
final class MetricsText {

  private MetricsText() {}

  static String render(
      Snapshot snapshot, HookCounters counters, VariantRouter router, EditLatency latency) {
    PrometheusText m = new PrometheusText();
    m.family(
        "mend4j_requests_total",
        "counter",
        "Host requests that reached the model, by the variant they were served with.");
    Map<String, Long> requests = router.requestsByVariant();
    if (requests.isEmpty()) {
      m.sample("mend4j_requests_total{variant=\"default\"}", 0);
    }
    requests.forEach((v, n) -> m.sample("mend4j_requests_total{variant=\"" + v + "\"}", n));
    m.family(
        "mend4j_unknown_variant_requests_total",
        "counter",
        "Requests whose X-Mend4j-Variant header named no variant (served with the default).");
    m.sample("mend4j_unknown_variant_requests_total", router.unknownVariantRequests());
    m.family(
        "mend4j_ignored_variant_headers_total",
        "counter",
        "Requests whose X-Mend4j-Variant header the variant-header policy ignored.");
    m.sample("mend4j_ignored_variant_headers_total", router.ignoredVariantHeaders());
    m.family(
        "mend4j_edit_deltas_applied_total",
        "counter",
        "Edit deltas added to host layer outputs (one per edit per layer call).");
    m.sample("mend4j_edit_deltas_applied_total", counters.deltasApplied());
    m.family("mend4j_edited_layer_calls_total", "counter", "Host layer calls the agent edited.");
    m.sample("mend4j_edited_layer_calls_total", counters.editedCalls());
    m.family(
        "mend4j_merged_layer_calls_total",
        "counter",
        "Edited layer calls computed with a merged weight (the merged fast path).");
    m.sample("mend4j_merged_layer_calls_total", counters.mergedCalls());
    m.family("mend4j_merged_weights", "gauge", "Merged weights the agent holds (dense copies).");
    m.sample("mend4j_merged_weights", counters.mergedWeights());
    m.family("mend4j_merged_weight_bytes", "gauge", "Bytes held by merged weights (float32).");
    m.sample("mend4j_merged_weight_bytes", 4 * counters.mergedFloats());
    m.family(
        "mend4j_suppressed_errors_total",
        "counter",
        "Errors inside the agent's forward hook, suppressed: the host's output was left unedited.");
    m.sample("mend4j_suppressed_errors_total", counters.suppressedErrors());
    m.family("mend4j_edits", "gauge", "Registered edits by binding state.");
    for (Binding.State state : Binding.State.values()) {
      long n = snapshot.edits().stream().filter(e -> e.binding().state() == state).count();
      m.sample("mend4j_edits{state=\"" + state.name().toLowerCase(Locale.ROOT) + "\"}", n);
    }
    m.family("mend4j_edits_enabled", "gauge", "Edits in the default variant (enabled).");
    m.sample("mend4j_edits_enabled", snapshot.edits().stream().filter(EditEntry::enabled).count());
    m.family("mend4j_variants", "gauge", "Defined variants besides the default.");
    m.sample("mend4j_variants", snapshot.variants().size());
    m.family(
        "mend4j_edit_latency_seconds",
        "summary",
        "Time to compute an edit in-process (POST /mend4j/v1/edits with JSON).");
    m.sample("mend4j_edit_latency_seconds_count", latency.count());
    m.sample("mend4j_edit_latency_seconds_sum", latency.sumSeconds());
    m.family(
        "mend4j_edit_latency_seconds_max", "gauge", "Longest in-process edit computation so far.");
    m.sample("mend4j_edit_latency_seconds_max", latency.maxSeconds());
    return m.toString();
  }
}
