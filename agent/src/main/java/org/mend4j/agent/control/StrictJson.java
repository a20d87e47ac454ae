package org.mend4j.agent.control;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.Set;

/** Strict JSON for request bodies: one RFC 8259 value and nothing after it; helpers for fields. */
final class StrictJson {

  private StrictJson() {}

  /**
   * Parses a body.
   *
   * @throws ControlException 400 naming the problem
   */
  static JsonElement parse(String body) {
    if (body.isBlank()) {
      throw ControlException.badRequest("the body is empty; expected JSON");
    }
    JsonElement value;
    try (JsonReader reader = new JsonReader(new StringReader(body))) {
      reader.setStrictness(Strictness.STRICT);
      value = JsonParser.parseReader(reader);
      try {
        if (reader.peek() != JsonToken.END_DOCUMENT) {
          throw new IOException("more");
        }
      } catch (IOException | JsonParseException e) {
        throw ControlException.badRequest("malformed JSON: more than one value in the body");
      }
    } catch (JsonParseException | IllegalStateException | IOException e) {
      throw ControlException.badRequest("malformed JSON: " + reason(e));
    }
    return value;
  }

  /** Gson's message without its advice to parse leniently and its troubleshooting link. */
  private static String reason(Exception e) {
    Throwable t = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
    String message = String.valueOf(t.getMessage());
    int advice = message.indexOf("to accept malformed JSON");
    if (advice >= 0) {
      message = "syntax error" + message.substring(advice + "to accept malformed JSON".length());
    }
    int link = message.indexOf("\nSee ");
    return link >= 0 ? message.substring(0, link) : message;
  }

  /** Refuses fields outside {@code allowed}, naming the first one. */
  static void onlyFields(JsonObject o, Set<String> allowed, String what) {
    for (String key : o.keySet()) {
      if (!allowed.contains(key)) {
        throw ControlException.badRequest(
            what + ": unknown field '" + key + "' (expected " + String.join(", ", allowed) + ")");
      }
    }
  }

  /** A string field; null if absent or JSON null (and not required). */
  static String string(JsonObject o, String field, boolean required, String what) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      if (required) {
        throw ControlException.badRequest(what + ": '" + field + "' is missing");
      }
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw ControlException.badRequest(
          what + ": '" + field + "' must be a string, found " + abbreviate(e));
    }
    return e.getAsString();
  }

  static String abbreviate(JsonElement e) {
    String s = e.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
