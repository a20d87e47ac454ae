package org.mend4j.agent.persist;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.registry.VariantJson;

/**
 * What {@code state.json} records besides the edit files themselves: the edits in registration
 * order with their enabled flags, and the variants. Immutable; the {@code with...} methods give the
 * state after one change, which is written before the change is made.
 *
 * <pre>
 * {"format": "mend4j.state/1",
 *  "edits": [{"id": "e3f...", "enabled": true}],
 *  "variants": [{"name": "original", "edits": [], "traffic_percent": 0.0}]}
 * </pre>
 *
 * @param enabled edit id to enabled flag, in registration order
 * @param variants variants by name
 */
public record PersistedState(Map<String, Boolean> enabled, Map<String, Variant> variants) {

  static final String FORMAT = "mend4j.state/1";

  /** Copies the maps, keeping the edits' order. */
  public PersistedState {
    enabled = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(enabled));
    variants = java.util.Collections.unmodifiableMap(new TreeMap<>(variants));
  }

  /** The state of a snapshot. */
  public static PersistedState of(Snapshot snapshot) {
    Map<String, Boolean> enabled = new LinkedHashMap<>();
    for (EditEntry e : snapshot.edits()) {
      enabled.put(e.id(), e.enabled());
    }
    return new PersistedState(enabled, snapshot.variants());
  }

  /** With an edit added at the end, or its flag changed. */
  public PersistedState withEdit(String id, boolean on) {
    Map<String, Boolean> next = new LinkedHashMap<>(enabled);
    next.put(id, on);
    return new PersistedState(next, variants);
  }

  /** Without an edit, also in every variant. */
  public PersistedState withoutEdit(String id) {
    Map<String, Boolean> next = new LinkedHashMap<>(enabled);
    next.remove(id);
    Map<String, Variant> vs = new TreeMap<>();
    variants.forEach(
        (name, v) ->
            vs.put(
                name,
                new Variant(
                    name,
                    v.editIds().stream().filter(e -> !e.equals(id)).toList(),
                    v.trafficPercent())));
    return new PersistedState(next, vs);
  }

  /** With a variant defined or replaced. */
  public PersistedState withVariant(Variant variant) {
    Map<String, Variant> vs = new TreeMap<>(variants);
    vs.put(variant.name(), variant);
    return new PersistedState(enabled, vs);
  }

  /** Without a variant. */
  public PersistedState withoutVariant(String name) {
    Map<String, Variant> vs = new TreeMap<>(variants);
    vs.remove(name);
    return new PersistedState(enabled, vs);
  }

  /** The position of an edit in registration order, or {@code Integer.MAX_VALUE}. */
  int order(String id) {
    int i = 0;
    for (String e : enabled.keySet()) {
      if (e.equals(id)) {
        return i;
      }
      i++;
    }
    return Integer.MAX_VALUE;
  }

  /** The document's text. */
  public String toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    JsonArray edits = new JsonArray();
    enabled.forEach(
        (id, on) -> {
          JsonObject e = new JsonObject();
          e.addProperty("id", id);
          e.addProperty("enabled", on);
          edits.add(e);
        });
    json.add("edits", edits);
    JsonArray vs = new JsonArray();
    variants.values().forEach(v -> vs.add(VariantJson.of(v)));
    json.add("variants", vs);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json);
  }

  /**
   * Parses a document.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static PersistedState parse(String text) {
    try {
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      JsonElement format = json.get("format");
      if (format == null || !FORMAT.equals(format.getAsString())) {
        throw new IllegalArgumentException("format is " + format + ", expected " + FORMAT);
      }
      Map<String, Boolean> enabled = new LinkedHashMap<>();
      for (JsonElement e : json.getAsJsonArray("edits")) {
        JsonObject o = e.getAsJsonObject();
        enabled.put(o.get("id").getAsString(), o.get("enabled").getAsBoolean());
      }
      Map<String, Variant> variants = new TreeMap<>();
      for (JsonElement e : json.getAsJsonArray("variants")) {
        Variant v = VariantJson.parse(e.getAsJsonObject());
        variants.put(v.name(), v);
      }
      return new PersistedState(enabled, variants);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed: " + e.getMessage(), e);
    }
  }
}
