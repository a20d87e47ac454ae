package org.mend4j.agent.control;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Collection;
import java.util.Locale;
import org.mend4j.agent.hook.CopyStatus;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.registry.VariantJson;
import org.mend4j.runtime.edit.EditRequest;

/**
 * The control plane's documents as JSON, one shape each: an edit, a variant, the status document
 * and the try-it answers. The admin API, JMX and the status file all render through here, so an
 * edit reads the same in {@code GET /mend4j/v1/edits}, in the status document and over JMX.
 */
public final class ControlJson {

  private ControlJson() {}

  /**
   * An edit: {@code id}, {@code prompt} and {@code target_new} (of its first request), {@code
   * enabled}, {@code active}, {@code state}, {@code message} (if any), {@code source}, {@code
   * created}, {@code requests} and {@code targets}.
   */
  public static JsonObject edit(EditView e) {
    JsonObject o = new JsonObject();
    EditRequest first = e.requests().get(0);
    o.addProperty("id", e.id());
    o.addProperty("prompt", first.prompt());
    o.addProperty("target_new", first.targetNew());
    o.addProperty("enabled", e.enabled());
    o.addProperty("active", e.active());
    o.addProperty("state", e.binding().state().name());
    if (e.binding().message() != null) {
      o.addProperty("message", e.binding().message());
    }
    o.addProperty("source", e.source());
    o.addProperty("created", e.created().toString());
    JsonArray requests = new JsonArray();
    for (EditRequest r : e.requests()) {
      JsonObject q = new JsonObject();
      q.addProperty("prompt", r.prompt());
      q.addProperty("target_new", r.targetNew());
      if (r.rephrasePrompt() != null) {
        q.addProperty("rephrase_prompt", r.rephrasePrompt());
      }
      requests.add(q);
    }
    o.add("requests", requests);
    JsonArray targets = new JsonArray();
    for (Binding.Target t : e.binding().targets()) {
      JsonObject target = new JsonObject();
      target.addProperty("param", t.param());
      target.add("layers", strings(t.layers()));
      target.addProperty("by_name", t.byName());
      targets.add(target);
    }
    o.add("targets", targets);
    return o;
  }

  /** Edits, as {@link #edit} each. */
  public static JsonArray edits(Collection<EditView> edits) {
    JsonArray list = new JsonArray();
    edits.forEach(e -> list.add(edit(e)));
    return list;
  }

  /** A variant: {@code {"name", "edits": [ids], "traffic_percent"}}. */
  public static JsonObject variant(Variant v) {
    return VariantJson.of(v);
  }

  /** Variants, as {@link #variant} each. */
  public static JsonArray variants(Collection<Variant> variants) {
    JsonArray list = new JsonArray();
    variants.forEach(v -> list.add(variant(v)));
    return list;
  }

  /** The status document (see the agent's README, "Status file"). */
  public static JsonObject status(StatusView s) {
    JsonObject json = new JsonObject();
    json.addProperty("snapshot", s.snapshot());
    json.addProperty("host_ready", s.hostReady());
    json.addProperty("loading", s.loading());
    json.addProperty("tracked_layers", s.trackedLayers());
    JsonArray djl = new JsonArray();
    for (CopyStatus c : s.copies()) {
      JsonObject copy = new JsonObject();
      copy.addProperty("class_loader", c.classLoader());
      copy.addProperty("layers", c.layers());
      copy.addProperty("edited_layers", c.editedLayers());
      djl.add(copy);
    }
    json.add("djl_copies", djl);
    counters(s.counters(), json);
    JsonObject counts = new JsonObject();
    counts.addProperty("total", s.edits().size());
    counts.addProperty("enabled", s.enabledEdits());
    counts.addProperty("active", s.activeEdits());
    for (Binding.State state : Binding.State.values()) {
      counts.addProperty(state.name().toLowerCase(Locale.ROOT), s.editsIn(state));
    }
    json.add("edit_counts", counts);
    json.add("bound_layers", strings(s.boundLayers()));
    json.add("variants", variants(s.variants()));
    json.add("edits", edits(s.edits()));
    JsonObject requests = new JsonObject();
    new java.util.TreeMap<>(s.requestsByVariant()).forEach(requests::addProperty);
    json.add("requests_by_variant", requests);
    json.addProperty("unknown_variant_requests", s.unknownVariantRequests());
    json.addProperty("ignored_variant_headers", s.ignoredVariantHeaders());
    json.addProperty("persistent", s.persistent());
    json.add("store", s.store().deepCopy());
    JsonObject mkl = new JsonObject();
    mkl.addProperty("loaded", s.mklDispatch().loaded());
    mkl.addProperty("answered", s.mklDispatch().answered());
    json.add("mkl_cpu_dispatch", mkl);
    return json;
  }

  private static void counters(StatusView.Counters counters, JsonObject into) {
    JsonObject c = new JsonObject();
    c.addProperty("deltas_applied", counters.deltasApplied());
    c.addProperty("edited_calls", counters.editedCalls());
    c.addProperty("merged_calls", counters.mergedCalls());
    c.addProperty("suppressed_errors", counters.suppressedErrors());
    into.add("counters", c);
    JsonObject merged = new JsonObject();
    merged.addProperty("weights", counters.mergedWeights());
    merged.addProperty("floats", counters.mergedFloats());
    into.add("merged_weights", merged);
    if (counters.scriptModules() > 0) {
      JsonObject modules = new JsonObject();
      modules.addProperty("modules", counters.scriptModules());
      modules.addProperty("weight_switches", counters.moduleSwitches());
      modules.addProperty("switch_ms", counters.moduleSwitchNanos() / 1e6);
      modules.addProperty("base_copy_floats", counters.baseCopyFloats());
      if (counters.moduleFailure() != null) {
        modules.addProperty("unedited_because", counters.moduleFailure());
      }
      into.add("torchscript", modules);
    }
  }

  /**
   * The try-it answers: {@code {"prompt", "max_new_tokens", "snapshot", "answers": [{"variant",
   * "edits", "traffic_percent"?, "completion"}]}}.
   */
  public static JsonObject tryAnswers(TryAnswers t) {
    JsonArray answers = new JsonArray();
    for (TryAnswers.Answer a : t.answers()) {
      JsonObject o = new JsonObject();
      o.addProperty("variant", a.variant());
      o.add("edits", strings(a.edits()));
      if (a.trafficPercent() != null) {
        o.addProperty("traffic_percent", a.trafficPercent());
      }
      o.addProperty("completion", a.completion());
      answers.add(o);
    }
    JsonObject json = new JsonObject();
    json.addProperty("prompt", t.prompt());
    json.addProperty("max_new_tokens", t.maxNewTokens());
    json.addProperty("snapshot", t.snapshot());
    json.add("answers", answers);
    return json;
  }

  /** The status document as pretty JSON text, as the status file holds it. */
  public static String text(StatusView status) {
    return new GsonBuilder()
        .setPrettyPrinting()
        .disableHtmlEscaping()
        .create()
        .toJson(status(status));
  }

  private static JsonArray strings(Collection<String> values) {
    JsonArray list = new JsonArray();
    values.forEach(list::add);
    return list;
  }
}
