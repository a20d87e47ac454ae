package org.mend4j.agent.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mend4j.agent.registry.Variant;

/**
 * The body of {@code PUT /mend4j/v1/variants/NAME}: {@code {"edits": [ids], "traffic_percent": p}}.
 */
final class VariantRequests {

  private static final Set<String> FIELDS = Set.of("edits", "traffic_percent");

  private VariantRequests() {}

  /**
   * Parses and validates a body for the variant {@code name}.
   *
   * @throws HttpError 400 naming the field at fault
   */
  static Variant parse(String name, String body) {
    String what = "variant '" + name + "'";
    JsonElement json = StrictJson.parse(body);
    if (!json.isJsonObject()) {
      throw HttpError.badRequest(
          what
              + ": expected {\"edits\": [ids], \"traffic_percent\": p}, found "
              + StrictJson.abbreviate(json));
    }
    JsonObject o = json.getAsJsonObject();
    StrictJson.onlyFields(o, FIELDS, what);
    JsonElement edits = o.get("edits");
    if (edits == null || !edits.isJsonArray()) {
      throw HttpError.badRequest(what + ": 'edits' must be a list of edit ids");
    }
    List<String> ids = new ArrayList<>();
    for (JsonElement e : edits.getAsJsonArray()) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw HttpError.badRequest(
            what + ": 'edits' must hold edit ids (strings), found " + StrictJson.abbreviate(e));
      }
      ids.add(e.getAsString());
    }
    double percent = 0;
    JsonElement p = o.get("traffic_percent");
    if (p != null && !p.isJsonNull()) {
      if (!p.isJsonPrimitive() || !p.getAsJsonPrimitive().isNumber()) {
        throw HttpError.badRequest(
            what
                + ": 'traffic_percent' must be a number in 0..100, found "
                + StrictJson.abbreviate(p));
      }
      percent = p.getAsDouble();
    }
    try {
      return new Variant(name, ids, percent);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
  }
}
