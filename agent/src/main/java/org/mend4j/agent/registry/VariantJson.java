package org.mend4j.agent.registry;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A variant as JSON, {@code {"name", "edits": [ids], "traffic_percent"}}: the one shape the admin
 * API, the status document and the stores' state ({@code state.json}, the shared store's log) write
 * a variant in. Here, beside {@link Variant}, because both the control plane and the stores use it.
 */
public final class VariantJson {

  private VariantJson() {}

  /** The variant as JSON. */
  public static JsonObject of(Variant v) {
    JsonObject o = new JsonObject();
    o.addProperty("name", v.name());
    JsonArray ids = new JsonArray();
    v.editIds().forEach(ids::add);
    o.add("edits", ids);
    o.addProperty("traffic_percent", v.trafficPercent());
    return o;
  }

  /**
   * The variant {@link #of} wrote.
   *
   * @throws IllegalArgumentException if it is not a valid variant
   * @throws RuntimeException (from Gson) if a field is missing or of another type
   */
  public static Variant parse(JsonObject o) {
    List<String> ids = new ArrayList<>();
    o.getAsJsonArray("edits").forEach(id -> ids.add(id.getAsString()));
    return new Variant(o.get("name").getAsString(), ids, o.get("traffic_percent").getAsDouble());
  }
}
