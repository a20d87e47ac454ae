package org.mend4j.agent.status;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.runtime.edit.EditRequest;

/**
 * The agent's status as JSON: the snapshot's edits with their bindings, and the hook's counters.
 * The same document is meant for the admin API's {@code GET /mend4j/v1/status}.
 */
public final class StatusReport {

  private StatusReport() {}

  /**
   * The status document.
   *
   * @param snapshot the registry's snapshot
   * @param counters the hook's counters
   * @param trackedLayers instrumented layer instances the agent knows
   */
  public static JsonObject of(Snapshot snapshot, HookCounters counters, int trackedLayers) {
    JsonObject json = new JsonObject();
    json.addProperty("snapshot", snapshot.version());
    json.addProperty("host_ready", snapshot.hostReady());
    json.addProperty("loading", snapshot.startupPending());
    json.addProperty("tracked_layers", trackedLayers);
    JsonObject c = new JsonObject();
    c.addProperty("deltas_applied", counters.deltasApplied());
    c.addProperty("edited_calls", counters.editedCalls());
    c.addProperty("suppressed_errors", counters.suppressedErrors());
    json.add("counters", c);
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

  /** Pretty JSON text. */
  public static String text(JsonObject status) {
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(status);
  }
}
