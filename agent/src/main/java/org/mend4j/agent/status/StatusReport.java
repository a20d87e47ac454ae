package org.mend4j.agent.status;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.mend4j.agent.hook.CopyStatus;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.runtime.edit.EditRequest;

/**
 * The agent's status as JSON: the snapshot's edits with their bindings, edit counts by state, the
 * host layers edits are bound to, the variants, and the hook's counters. Written to the status file
 * and served by the admin API's {@code GET /mend4j/v1/status}.
 */
public final class StatusReport {

  private StatusReport() {}

  /**
   * The status document.
   *
   * @param snapshot the registry's snapshot
   * @param counters the hook's counters
   * @param copies each copy of DJL in the JVM and its layers
   */
  public static JsonObject of(Snapshot snapshot, HookCounters counters, List<CopyStatus> copies) {
    JsonObject json = new JsonObject();
    json.addProperty("snapshot", snapshot.version());
    json.addProperty("host_ready", snapshot.hostReady());
    json.addProperty("loading", snapshot.startupPending());
    json.addProperty("tracked_layers", copies.stream().mapToInt(CopyStatus::layers).sum());
    JsonArray djl = new JsonArray();
    for (CopyStatus c : copies) {
      JsonObject copy = new JsonObject();
      copy.addProperty("class_loader", c.classLoader());
      copy.addProperty("layers", c.layers());
      copy.addProperty("edited_layers", c.editedLayers());
      djl.add(copy);
    }
    json.add("djl_copies", djl);
    JsonObject c = new JsonObject();
    c.addProperty("deltas_applied", counters.deltasApplied());
    c.addProperty("edited_calls", counters.editedCalls());
    c.addProperty("merged_calls", counters.mergedCalls());
    c.addProperty("suppressed_errors", counters.suppressedErrors());
    json.add("counters", c);
    JsonObject merged = new JsonObject();
    merged.addProperty("weights", counters.mergedWeights());
    merged.addProperty("floats", counters.mergedFloats());
    json.add("merged_weights", merged);
    if (counters.scriptModules() > 0) {
      JsonObject modules = new JsonObject();
      modules.addProperty("modules", counters.scriptModules());
      modules.addProperty("weight_switches", counters.moduleSwitches());
      modules.addProperty("switch_ms", counters.moduleSwitchNanos() / 1e6);
      modules.addProperty("base_copy_floats", counters.baseCopyFloats());
      if (counters.moduleFailure() != null) {
        modules.addProperty("unedited_because", counters.moduleFailure());
      }
      json.add("torchscript", modules);
    }
    JsonObject counts = new JsonObject();
    counts.addProperty("total", snapshot.edits().size());
    counts.addProperty("enabled", snapshot.edits().stream().filter(EditEntry::enabled).count());
    counts.addProperty("active", snapshot.active().editIds().size());
    for (Binding.State state : Binding.State.values()) {
      counts.addProperty(
          state.name().toLowerCase(Locale.ROOT),
          snapshot.edits().stream().filter(e -> e.binding().state() == state).count());
    }
    json.add("edit_counts", counts);
    Set<String> bound = new TreeSet<>();
    for (EditEntry e : snapshot.edits()) {
      e.binding().targets().forEach(t -> bound.addAll(t.layers()));
    }
    JsonArray boundLayers = new JsonArray();
    bound.forEach(boundLayers::add);
    json.add("bound_layers", boundLayers);
    JsonArray variants = new JsonArray();
    for (Variant v : snapshot.variants().values()) {
      variants.add(variant(v));
    }
    json.add("variants", variants);
    JsonArray edits = new JsonArray();
    for (EditEntry e : snapshot.edits()) {
      edits.add(edit(e, snapshot.active().editIds().contains(e.id())));
    }
    json.add("edits", edits);
    return json;
  }

  private static JsonObject edit(EditEntry e, boolean active) {
    JsonObject o = new JsonObject();
    o.addProperty("id", e.id());
    o.addProperty("enabled", e.enabled());
    o.addProperty("active", active);
    o.addProperty("state", e.binding().state().name());
    if (e.binding().message() != null) {
      o.addProperty("message", e.binding().message());
    }
    o.addProperty("source", e.source());
    o.addProperty("created", e.edit().created().toString());
    JsonArray requests = new JsonArray();
    for (EditRequest r : e.edit().requests()) {
      JsonObject q = new JsonObject();
      q.addProperty("prompt", r.prompt());
      q.addProperty("target_new", r.targetNew());
      requests.add(q);
    }
    o.add("requests", requests);
    JsonArray targets = new JsonArray();
    for (Binding.Target t : e.binding().targets()) {
      JsonObject target = new JsonObject();
      target.addProperty("param", t.param());
      JsonArray layers = new JsonArray();
      t.layers().forEach(layers::add);
      target.add("layers", layers);
      target.addProperty("by_name", t.byName());
      targets.add(target);
    }
    o.add("targets", targets);
    return o;
  }

  /** A variant as {@code {"name", "edits": [ids], "traffic_percent"}}. */
  public static JsonObject variant(Variant v) {
    JsonObject o = new JsonObject();
    o.addProperty("name", v.name());
    JsonArray ids = new JsonArray();
    v.editIds().forEach(ids::add);
    o.add("edits", ids);
    o.addProperty("traffic_percent", v.trafficPercent());
    return o;
  }

  /** Pretty JSON text. */
  public static String text(JsonObject status) {
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(status);
  }
}
