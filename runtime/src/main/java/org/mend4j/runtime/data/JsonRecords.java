package org.mend4j.runtime.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reading and writing top-level JSON arrays of records, with errors that say where. */
final class JsonRecords {

  static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private JsonRecords() {}

  /** Reads every element of the file's top-level array through {@code parser}, streaming. */
  static <T> List<T> read(Path file, Function<Fields, T> parser) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r, file.toString(), parser);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads every element of the top-level array of {@code source} through {@code parser}. */
  static <T> List<T> read(Reader in, String source, Function<Fields, T> parser) {
    List<T> out = new ArrayList<>();
    int index = 0;
    try {
      JsonReader reader = new JsonReader(in);
      reader.setStrictness(Strictness.STRICT);
      if (reader.peek() != JsonToken.BEGIN_ARRAY) {
        throw new IllegalArgumentException(
            source + ": expected a JSON array of records, found " + reader.peek());
      }
      reader.beginArray();
      while (reader.hasNext()) {
        JsonElement element = JsonParser.parseReader(reader);
        if (!element.isJsonObject()) {
          throw new MalformedRecordException(
              source, index, null, "expected a JSON object, found " + describe(element));
        }
        out.add(parser.apply(new Fields(element.getAsJsonObject(), source, index)));
        index++;
      }
      reader.endArray();
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException(source + ": content after the top-level array");
      }
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw new IllegalArgumentException(
          source + ": invalid JSON at record " + index + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Writes a list of JSON objects as a pretty-printed array ending in a newline. */
  static void write(Path file, List<JsonObject> records) {
    JsonArray array = new JsonArray();
    records.forEach(array::add);
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(file, GSON.toJson(array) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static String describe(JsonElement e) {
    if (e == null) {
      return "nothing";
    } else if (e.isJsonNull()) {
      return "null";
    } else if (e.isJsonObject()) {
      return "an object";
    } else if (e.isJsonArray()) {
      return "an array";
    } else if (e.getAsJsonPrimitive().isBoolean()) {
      return "a boolean";
    } else if (e.getAsJsonPrimitive().isNumber()) {
      return "a number (" + e.getAsString() + ")";
    }
    return "a string";
  }

  /** One record's fields, with typed accessors that fail naming the file, index and field. */
  static final class Fields {
    private final JsonObject object;
    private final String source;
    private final int index;

    Fields(JsonObject object, String source, int index) {
      this.object = object;
      this.source = source;
      this.index = index;
    }

    int index() {
      return index;
    }

    boolean has(String field) {
      return object.has(field);
    }

    MalformedRecordException error(String field, String problem) {
      return new MalformedRecordException(source, index, field, problem);
    }

    /** A present, non-blank string. */
    String requireString(String field) {
      String s = stringOrNull(field, true);
      if (s.isBlank()) {
        throw error(field, "is empty; expected a non-empty string");
      }
      return s;
    }

    /** A string that may be empty but must be present. */
    String requirePossiblyEmptyString(String field) {
      return stringOrNull(field, true);
    }

    /** A string, or {@code null} when the field is absent or null. */
    String optionalString(String field) {
      return stringOrNull(field, false);
    }

    int requireInt(String field) {
      JsonElement e = present(field);
      if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
        double d = e.getAsDouble();
        if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
          return (int) d;
        }
      }
      throw error(field, "expected an integer, found " + describe(e));
    }

    /** A non-empty array of non-blank strings. */
    List<String> requireStringList(String field) {
      JsonElement e = present(field);
      if (!e.isJsonArray()) {
        throw error(field, "expected an array of strings, found " + describe(e));
      }
      JsonArray array = e.getAsJsonArray();
      if (array.isEmpty()) {
        throw error(field, "is an empty array; expected at least one string");
      }
      List<String> out = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        JsonElement item = array.get(i);
        if (!isString(item) || item.getAsString().isBlank()) {
          throw error(
              field + "[" + i + "]", "expected a non-empty string, found " + describe(item));
        }
        out.add(item.getAsString());
      }
      return List.copyOf(out);
    }

    private String stringOrNull(String field, boolean required) {
      JsonElement e = object.get(field);
      if (!required && (e == null || e.isJsonNull())) {
        return null;
      }
      e = present(field);
      if (!isString(e)) {
        throw error(field, "expected a string, found " + describe(e));
      }
      return e.getAsString();
    }

    private JsonElement present(String field) {
      JsonElement e = object.get(field);
      if (e == null) {
        throw error(field, "is missing");
      }
      if (e.isJsonNull()) {
        throw error(field, "is null");
      }
      return e;
    }

    private static boolean isString(JsonElement e) {
      return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }
  }
}
