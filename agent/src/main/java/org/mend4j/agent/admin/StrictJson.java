package org.mend4j.agent.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.Set;

/**
 * Strict JSON for request bodies: one RFC 8259 value and nothing after it, every key once per
 * object, every string well-formed text; helpers for fields.
 */
final class StrictJson {

  private StrictJson() {}

  /**
   * Parses a body.
   *
   * @throws HttpError 400 naming the problem: malformed JSON, more than one value, a key twice in
   *     one object, a string with a lone surrogate
   */
  static JsonElement parse(String body) {
    if (body.isBlank()) {
      throw HttpError.badRequest("the body is empty; expected JSON");
    }
    JsonElement value;
    try (JsonReader reader = new JsonReader(new StringReader(body))) {
      reader.setStrictness(Strictness.STRICT);
      value = read(reader);
      boolean more;
      try {
        more = reader.peek() != JsonToken.END_DOCUMENT;
      } catch (IOException | JsonParseException e) {
        more = true; // strict mode refuses a second top-level value as a syntax error
      }
      if (more) {
        throw HttpError.badRequest("malformed JSON: more than one value in the body");
      }
    } catch (JsonParseException | IllegalStateException | IOException e) {
      throw HttpError.badRequest("malformed JSON: " + reason(e));
    }
    return value;
  }

  /** One value, refusing what Gson's tree parser lets through (a repeated key wins silently). */
  private static JsonElement read(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT -> {
        JsonObject object = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = text(reader.nextName(), reader);
          if (object.has(name)) {
            throw HttpError.badRequest(
                "malformed JSON: the key '" + name + "' appears twice at " + reader.getPath());
          }
          object.add(name, read(reader));
        }
        reader.endObject();
        return object;
      }
      case BEGIN_ARRAY -> {
        JsonArray array = new JsonArray();
        reader.beginArray();
        while (reader.hasNext()) {
          array.add(read(reader));
        }
        reader.endArray();
        return array;
      }
      case STRING -> {
        return new JsonPrimitive(text(reader.nextString(), reader));
      }
      case NUMBER -> {
        return new JsonPrimitive(new LazilyParsedNumber(reader.nextString()));
      }
      case BOOLEAN -> {
        return new JsonPrimitive(reader.nextBoolean());
      }
      case NULL -> {
        reader.nextNull();
        return JsonNull.INSTANCE;
      }
      default -> throw new IOException("unexpected " + reader.peek() + " at " + reader.getPath());
    }
  }

  /** {@code s} if it is well-formed UTF-16 (an escape like {@code \\ud800} alone is not). */
  private static String text(String s, JsonReader reader) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw HttpError.badRequest(
            "malformed JSON: a lone surrogate \\u"
                + Integer.toHexString(c)
                + " at "
                + reader.getPath()
                + " is not text");
      }
    }
    return s;
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
        throw HttpError.badRequest(
            what + ": unknown field '" + key + "' (expected " + String.join(", ", allowed) + ")");
      }
    }
  }

  /** A string field; null if absent or JSON null (and not required). */
  static String string(JsonObject o, String field, boolean required, String what) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      if (required) {
        throw HttpError.badRequest(what + ": '" + field + "' is missing");
      }
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw HttpError.badRequest(
          what + ": '" + field + "' must be a string, found " + abbreviate(e));
    }
    return e.getAsString();
  }

  static String abbreviate(JsonElement e) {
    String s = e.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
