package org.mend4j.runtime.edit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.mend4j.runtime.safetensors.SafeTensorsException;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;

/**
 * The edit file: one safetensors file ({@code *.mend.safetensors}) holding each weight's factors as
 * {@code NAME.u} and {@code NAME.delta} (and, for composable edits, {@link KeyValues} as {@code
 * NAME.keys}, {@code NAME.whitened_keys} and {@code NAME.values}: format 2), with a JSON
 * description of the edit and two SHA-256 digests in its {@code __metadata__}: of the tensor data
 * ({@code sha256}), and of the description and the data together ({@code mend4j.sha256}; files
 * written before it existed have only the first). Reading verifies the digests, that the edit's id
 * is the one its content derives ({@link Edit#idMatchesContent}), that no parameter is listed
 * twice, and that every value is finite ({@link EditLimits#checkFinite}), so a corrupted, truncated
 * or altered file is refused instead of silently changing a model.
 */
public final class EditFile {

  /** File name suffix of edit files. */
  public static final String SUFFIX = ".mend.safetensors";

  static final String FORMAT = "mend4j.edit/1";
  static final String FORMAT_WITH_KEYS = "mend4j.edit/2";
  private static final String DESCRIPTION = "mend4j.edit";
  private static final String DIGEST = "sha256";
  private static final String FULL_DIGEST = "mend4j.sha256";

  private EditFile() {}

  /** Writes {@code edit} atomically to {@code file}. */
  public static void write(Edit edit, Path file) {
    writer(edit).write(file);
  }

  /** The bytes of an edit file, e.g. to send it over HTTP. */
  public static byte[] bytes(Edit edit) {
    return writer(edit).toBytes();
  }

  private static SafeTensorsWriter writer(Edit edit) {
    SafeTensorsWriter writer = new SafeTensorsWriter();
    for (ParamDelta p : edit.params()) {
      writer.add(p.name() + ".u", new long[] {p.rows(), p.in()}, p.u());
      writer.add(p.name() + ".delta", new long[] {p.rows(), p.out()}, p.delta());
      KeyValues kv = p.keyValues();
      if (kv != null) {
        writer.add(p.name() + ".keys", new long[] {kv.rows(), p.in()}, kv.keys());
        writer.add(p.name() + ".whitened_keys", new long[] {kv.rows(), p.in()}, kv.whitenedKeys());
        writer.add(p.name() + ".values", new long[] {kv.rows(), p.out()}, kv.values());
      }
    }
    String description = describe(edit).toString();
    String dataDigest = writer.dataSha256();
    writer.metadata(DESCRIPTION, description);
    writer.metadata(DIGEST, dataDigest);
    return writer.metadata(FULL_DIGEST, fullDigest(description, dataDigest));
  }

  /** SHA-256 of the description and the data's digest: one digest over everything in the file. */
  private static String fullDigest(String description, String dataDigest) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(description.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(dataDigest.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads and verifies an edit file.
   *
   * @throws IllegalArgumentException naming the file if it is not a valid, intact edit file
   */
  public static Edit read(Path file) {
    try {
      SafeTensorsFile st = SafeTensorsFile.open(file);
      String json = st.metadata().get(DESCRIPTION);
      if (json == null) {
        throw new IllegalArgumentException(file + ": not a mend4j edit file (no edit description)");
      }
      String digest = st.metadata().get(DIGEST);
      if (digest == null || !digest.equals(st.dataSha256())) {
        throw new IllegalArgumentException(
            file + ": corrupted edit file (tensor data does not match its SHA-256)");
      }
      String full = st.metadata().get(FULL_DIGEST);
      if (full != null && !full.equals(fullDigest(json, digest))) {
        throw new IllegalArgumentException(
            file + ": corrupted edit file (its description does not match its SHA-256)");
      }
      Edit edit = parse(JsonParser.parseString(json).getAsJsonObject(), st);
      if (!edit.idMatchesContent()) {
        throw new IllegalArgumentException(
            file
                + ": altered edit file (its id "
                + edit.id()
                + " is not the one its requests, factors and settings give)");
      }
      try {
        EditLimits.checkFinite(edit);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
      return edit;
    } catch (SafeTensorsException e) {
      throw new IllegalArgumentException("not a readable edit file: " + e.getMessage(), e);
    } catch (JsonParseException
        | IllegalStateException
        | NullPointerException
        | UnsupportedOperationException
        | DateTimeParseException e) {
      throw new IllegalArgumentException(file + ": malformed edit description: " + e, e);
    }
  }

  private static JsonObject describe(Edit edit) {
    JsonObject json = new JsonObject();
    boolean keys = edit.params().stream().anyMatch(p -> p.keyValues() != null);
    json.addProperty("format", keys ? FORMAT_WITH_KEYS : FORMAT);
    json.addProperty("id", edit.id());
    json.addProperty("created", edit.created().toString());
    json.addProperty("editor_id", edit.editorId());
    json.add("requests", requestsJson(edit));
    JsonArray params = new JsonArray();
    for (ParamDelta p : edit.params()) {
      JsonObject o = new JsonObject();
      o.addProperty("name", p.name());
      JsonArray shape = new JsonArray();
      shape.add(p.in());
      shape.add(p.out());
      o.add("shape", shape);
      o.addProperty("fingerprint", p.fingerprint());
      o.addProperty("rows", p.rows());
      o.addProperty("alpha", p.alpha());
      if (p.keyValues() != null) {
        o.addProperty("key_rows", p.keyValues().rows());
        o.addProperty("lambda", p.keyValues().lambda());
        o.addProperty("gate", p.keyValues().gate());
        if (Arrays.stream(p.keyValues().requests()).anyMatch(r -> r != 0)) {
          JsonArray rowRequests = new JsonArray();
          Arrays.stream(p.keyValues().requests()).forEach(rowRequests::add);
          o.add("key_requests", rowRequests);
        }
      }
      params.add(o);
    }
    json.add("params", params);
    return json;
  }

  /**
   * An edit's requests as the edit file describes them, {@code [{"prompt", "target_new",
   * "rephrase_prompt"?}]}: the one JSON shape of requests wherever edits are listed.
   */
  public static JsonArray requestsJson(Edit edit) {
    JsonArray requests = new JsonArray();
    for (EditRequest r : edit.requests()) {
      JsonObject o = new JsonObject();
      o.addProperty("prompt", r.prompt());
      o.addProperty("target_new", r.targetNew());
      if (r.rephrasePrompt() != null) {
        o.addProperty("rephrase_prompt", r.rephrasePrompt());
      }
      requests.add(o);
    }
    return requests;
  }

  private static Edit parse(JsonObject json, SafeTensorsFile st) {
    String format = json.get("format").getAsString();
    if (!FORMAT.equals(format) && !FORMAT_WITH_KEYS.equals(format)) {
      throw new IllegalArgumentException(
          st.file()
              + ": unsupported edit format "
              + json.get("format")
              + " (expected "
              + FORMAT
              + " or "
              + FORMAT_WITH_KEYS
              + ")");
    }
    List<EditRequest> requests = new ArrayList<>();
    for (JsonElement e : json.getAsJsonArray("requests")) {
      JsonObject o = e.getAsJsonObject();
      JsonElement rephrase = o.get("rephrase_prompt");
      requests.add(
          new EditRequest(
              o.get("prompt").getAsString(),
              o.get("target_new").getAsString(),
              rephrase == null ? null : rephrase.getAsString()));
    }
    List<ParamDelta> params = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonElement e : json.getAsJsonArray("params")) {
      JsonObject o = e.getAsJsonObject();
      String name = o.get("name").getAsString();
      if (!names.add(name)) {
        throw new IllegalArgumentException(
            st.file() + ": parameter '" + name + "' is listed twice in the edit description");
      }
      long[] shape = {
        o.getAsJsonArray("shape").get(0).getAsLong(), o.getAsJsonArray("shape").get(1).getAsLong()
      };
      int rows = o.get("rows").getAsInt();
      checkShape(st, name + ".u", new long[] {rows, shape[0]});
      checkShape(st, name + ".delta", new long[] {rows, shape[1]});
      params.add(
          new ParamDelta(
              name,
              shape,
              o.get("fingerprint").getAsString(),
              rows,
              st.floats(name + ".u"),
              st.floats(name + ".delta"),
              o.get("alpha").getAsFloat(),
              keyValues(o, name, shape, st)));
    }
    return new Edit(
        json.get("id").getAsString(),
        Instant.parse(json.get("created").getAsString()),
        json.get("editor_id").getAsString(),
        requests,
        params);
  }

  private static KeyValues keyValues(JsonObject o, String name, long[] shape, SafeTensorsFile st) {
    JsonElement rows = o.get("key_rows");
    if (rows == null) {
      return null;
    }
    int n = rows.getAsInt();
    checkShape(st, name + ".keys", new long[] {n, shape[0]});
    checkShape(st, name + ".whitened_keys", new long[] {n, shape[0]});
    checkShape(st, name + ".values", new long[] {n, shape[1]});
    int[] requests = new int[n];
    JsonElement batch = o.get("key_requests");
    if (batch != null) {
      JsonArray a = batch.getAsJsonArray();
      if (a.size() != n) {
        throw new IllegalArgumentException(
            st.file()
                + ": '"
                + name
                + "' has "
                + n
                + " key rows but "
                + a.size()
                + " key_requests");
      }
      for (int i = 0; i < n; i++) {
        requests[i] = a.get(i).getAsInt();
      }
    }
    return new KeyValues(
        n,
        st.floats(name + ".keys"),
        st.floats(name + ".whitened_keys"),
        st.floats(name + ".values"),
        o.get("lambda").getAsFloat(),
        o.get("gate").getAsFloat(),
        requests);
  }

  private static void checkShape(SafeTensorsFile st, String tensor, long[] expected) {
    if (!Arrays.equals(st.info(tensor).shape(), expected)) {
      throw new IllegalArgumentException(
          st.file()
              + ": tensor '"
              + tensor
              + "' has shape "
              + st.info(tensor).shapeString()
              + " but its description says "
              + Arrays.toString(expected));
    }
  }
}
