package org.mend4j.tests.control;

import static org.mend4j.tests.support.RawHttp.request;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.ParamDelta;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;

/**
 * The hostile requests of {@link ControlHostileInputTest}, each with the statuses it may get and a
 * fragment its JSON error must contain: wrong tokens on every endpoint, malformed HTTP framing on
 * every endpoint, lenient JSON, bad variants, and edit files that are damaged or altered (with
 * every digest and the id recomputed, as an attacker would).
 */
final class HostileRequests {

  /** One request, the statuses it may be answered with, and what its error must say. */
  record Hostile(String name, byte[] bytes, Set<Integer> statuses, String fragment) {}

  private static final String EDITS = "/mend4j/v1/edits";
  private static final String VARIANTS = "/mend4j/v1/variants/";
  private static final String TRY = "/mend4j/v1/try";
  private static final String JSON = "Content-Type: application/json";
  private static final String OCTETS = "Content-Type: application/octet-stream";

  private final String auth;
  private final String editId;
  private final List<Hostile> all = new ArrayList<>();

  private HostileRequests(String token, String editId) {
    this.auth = "Authorization: Bearer " + token;
    this.editId = editId;
  }

  /**
   * Every hostile request.
   *
   * @param token the admin token
   * @param editId an existing edit (toggled and deleted by requests that must not do so)
   * @param valid a valid edit file's edit, computed for the served model but not imported
   * @param dir a scratch directory
   */
  static List<Hostile> all(String token, String editId, Edit valid, Path dir) throws IOException {
    HostileRequests r = new HostileRequests(token, editId);
    r.wrongTokens();
    r.brokenFraming();
    r.lenientJson();
    r.badVariants();
    r.badEditFiles(valid, dir);
    r.badPaths();
    return r.all;
  }

  private void add(String name, byte[] bytes, String fragment, Integer... statuses) {
    all.add(new Hostile(name, bytes, Set.of(statuses), fragment));
  }

  private List<String[]> endpoints() {
    return List.of(
        new String[] {"GET", "/mend4j/v1/status"},
        new String[] {"GET", EDITS},
        new String[] {"POST", EDITS},
        new String[] {"GET", EDITS + "/" + editId},
        new String[] {"POST", EDITS + "/" + editId + "/disable"},
        new String[] {"DELETE", EDITS + "/" + editId},
        new String[] {"GET", "/mend4j/v1/variants"},
        new String[] {"PUT", VARIANTS + "bare"},
        new String[] {"DELETE", VARIANTS + "half"},
        new String[] {"POST", TRY},
        new String[] {"GET", "/metrics"});
  }

  private void wrongTokens() {
    List<String[]> tokens =
        List.of(
            new String[] {"no token"},
            new String[] {"wrong token", "Authorization: Bearer wrong"},
            new String[] {"empty token", "Authorization: Bearer "},
            new String[] {"basic", "Authorization: Basic dXNlcjpwYXNz"},
            new String[] {"token plus", auth + "x"},
            new String[] {"no scheme", auth.replace("Bearer ", "")});
    byte[] body = "{\"edits\": []}".getBytes(StandardCharsets.UTF_8);
    for (String[] e : endpoints()) {
      for (String[] t : tokens) {
        String[] headers = java.util.Arrays.copyOfRange(t, 1, t.length);
        boolean withBody = e[0].equals("POST") || e[0].equals("PUT");
        add(
            t[0] + " " + e[0] + " " + e[1],
            request(e[0], e[1], withBody ? body : null, withHeader(headers, JSON)),
            "missing or wrong token",
            401);
      }
    }
  }

  private static String[] withHeader(String[] headers, String extra) {
    String[] out = java.util.Arrays.copyOf(headers, headers.length + 1);
    out[headers.length] = extra;
    return out;
  }

  private void brokenFraming() {
    byte[] chunkedZz = "zz\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] chunkedHuge =
        "ffffffffffffffff\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    String manyHeaders = "X-Filler: y\r\n".repeat(10_000).strip();
    for (String[] e : endpoints()) {
      String m = e[0];
      String p = e[1];
      boolean body = (m.equals("POST") && (p.equals(EDITS) || p.equals(TRY))) || m.equals("PUT");
      String what = " " + m + " " + p;
      add(
          "chunk size zz" + what,
          request(m, p, chunkedZz, auth, JSON, "Transfer-Encoding: chunked"),
          body ? "malformed or truncated request body" : "takes no body",
          400);
      add(
          "chunk size 2^64-1" + what,
          request(m, p, chunkedHuge, auth, JSON, "Transfer-Encoding: chunked"),
          body ? "malformed or truncated request body" : "takes no body",
          400);
      add(
          "negative length" + what,
          request(m, p, null, auth, "Content-Length: -5"),
          "malformed HTTP request",
          400);
      add(
          "gzip transfer coding" + what,
          request(m, p, null, auth, "Transfer-Encoding: gzip"),
          "malformed HTTP request",
          400);
      add(
          "1 GB declared" + what,
          request(m, p, null, auth, JSON, "Content-Length: 1000000000"),
          body ? "larger than the limit" : "takes no body",
          body ? 413 : 400);
      add(
          "expect continue over the limit" + what,
          request(m, p, null, auth, JSON, "Expect: 100-continue", "Content-Length: 900000000"),
          body ? "larger than the limit" : "takes no body",
          body ? 413 : 400);
      add(
          "10,000 headers" + what,
          request(m, p, null, auth, manyHeaders),
          "headers are larger than the admin API accepts",
          431);
      add(
          "1 MB Authorization" + what,
          request(m, p, null, "Authorization: Bearer " + "a".repeat(1 << 20)),
          "headers are larger than the admin API accepts",
          431);
      add(
          "two lengths" + what,
          request(m, p, "{}".getBytes(), auth, "Content-Length: 2", "Content-Length: 3"),
          "malformed HTTP request",
          400);
      add(
          "header without a colon" + what,
          request(m, p, null, auth, "NoColonHere"),
          "malformed HTTP request",
          400);
      add(
          "folded header" + what,
          request(m, p, null, auth, "X-Folded: a", " continued"),
          "malformed HTTP request",
          400);
      add(
          "HTTP/9.9" + what,
          (m + " " + p + " HTTP/9.9\r\nHost: x\r\n" + auth + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1),
          "",
          400,
          505);
      add("control character in the path" + what, request(m, p + "%00", null, auth), "", 400, 404);
      add(
          "request line of 20,000 bytes" + what,
          request(m, p + "/" + "a".repeat(20_000), null, auth),
          "",
          414,
          431);
    }
  }

  private void lenientJson() {
    String context = " word".repeat(200);
    List<String[]> bodies =
        List.of(
            new String[] {"{\"prompt\": \"a\", ", "malformed JSON"},
            new String[] {"{prompt: 'a'}", "malformed JSON"},
            new String[] {"{\"prompt\": \"a\",}", "malformed JSON"},
            new String[] {"{} {}", "more than one value"},
            new String[] {"", "empty"},
            new String[] {"[]", "empty"},
            new String[] {"42", "expected an edit request"},
            new String[] {"null", "expected an edit request"},
            new String[] {"\"text\"", "expected an edit request"},
            new String[] {"[1]", "must be an object"},
            new String[] {"{\"prompt\": \"a\", \"prompt\": \"b\", \"target_new\": \"c\"}", "twice"},
            new String[] {"{\"prompt\": \"a\\ud800\", \"target_new\": \"c\"}", "lone surrogate"},
            new String[] {"{\"prompt\": \"a\", \"target_new\": \"\\udc00\"}", "lone surrogate"},
            new String[] {"{\"prompt\": \"a\", \"target_new\": \"b\", \"x\": 1}", "unknown field"},
            new String[] {"{\"prompt\": 5, \"target_new\": \"b\"}", "must be a string"},
            new String[] {"{\"prompt\": 1e999999, \"target_new\": \"b\"}", "must be a string"},
            new String[] {"{\"prompt\": \"a\"}", "'target_new' is missing"},
            new String[] {"{\"prompt\": \"a\", \"target_new\": \"\"}", "'target_new' is empty"},
            new String[] {
              "{\"prompt\": \"a\", \"target_new\": \"b\", \"rephrase_prompt\": 5}",
              "must be a string"
            },
            new String[] {
              "{\"prompt\": \"" + context + "\", \"target_new\": \" b\"}", "the model's context"
            },
            new String[] {
              "{\"prompt\": \"The\", \"target_new\": \" b\", \"rephrase_prompt\": \""
                  + context
                  + "\"}",
              "'rephrase_prompt' is"
            },
            new String[] {
              "[" + "{\"prompt\": \"a\", \"target_new\": \"b\"},".repeat(64) + "{}]", "at most 64"
            },
            new String[] {"[".repeat(300) + "]".repeat(300), "malformed JSON"},
            new String[] {"{\"prompt\": \"a\", \"target_new\": \"b\"} x", "more than one value"});
    List<String> types =
        List.of(JSON, "Content-Type: application/json; charset=utf-8", "X-None: 1");
    for (String[] b : bodies) {
      for (String type : types) {
        add(
            "edit request " + abbreviate(b[0]) + " / " + type,
            request("POST", EDITS, b[0].getBytes(StandardCharsets.UTF_8), auth, type),
            b[1],
            400);
      }
    }
    byte[] badUtf8 = {'{', '"', 'p', 'r', 'o', 'm', 'p', 't', '"', ':', '"', (byte) 0xff, '"', '}'};
    byte[] overlong = {'{', '"', 'p', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'};
    for (String type : types) {
      add("invalid UTF-8 / " + type, request("POST", EDITS, badUtf8, auth, type), "UTF-8", 400);
      add("overlong UTF-8 / " + type, request("POST", EDITS, overlong, auth, type), "UTF-8", 400);
    }
  }

  private void badVariants() {
    String body = "{\"edits\": []}";
    List<String[]> names =
        List.of(
            new String[] {".", ""},
            new String[] {"..", ""},
            new String[] {".hidden", "not starting with '.'"},
            new String[] {"DEFAULT", "names the variant of every enabled edit"},
            new String[] {"default", "names the variant of every enabled edit"},
            new String[] {"Default", "names the variant of every enabled edit"},
            new String[] {"a".repeat(65), "1 to 64 letters"},
            new String[] {"a%20b", "1 to 64 letters"},
            new String[] {"%C3%BC", "1 to 64 letters"},
            new String[] {"a%2Fb", ""},
            new String[] {"%2e%2e", ""});
    for (String[] n : names) {
      for (String type : List.of(JSON, "X-None: 1")) {
        add(
            "variant name " + n[0] + " / " + type,
            request("PUT", VARIANTS + n[0], body.getBytes(StandardCharsets.UTF_8), auth, type),
            n[1],
            400,
            404);
      }
    }
    List<String[]> bodies =
        List.of(
            new String[] {"{\"edits\": [], \"traffic_percent\": 100.008}", "0..100"},
            new String[] {"{\"edits\": [], \"traffic_percent\": 50.004}", "more than two decimals"},
            new String[] {"{\"edits\": [], \"traffic_percent\": -1}", "0..100"},
            new String[] {"{\"edits\": [], \"traffic_percent\": 101}", "0..100"},
            new String[] {"{\"edits\": [], \"traffic_percent\": 1e400}", "0..100"},
            new String[] {"{\"edits\": [], \"traffic_percent\": \"50\"}", "must be a number"},
            new String[] {"{\"edits\": [], \"traffic_percent\": NaN}", "malformed JSON"},
            new String[] {"{\"edits\": [], \"traffic_percent\": 60}", "more than 100"},
            new String[] {"{\"edits\": \"all\"}", "must be a list"},
            new String[] {"{\"edits\": [1]}", "must hold edit ids"},
            new String[] {"{\"edits\": [\"nope\"]}", "'nope', which does not exist"},
            new String[] {"{\"edits\": [\"" + editId + "\", \"" + editId + "\"]}", "twice"},
            new String[] {"{\"edits\": [], \"edits\": [\"" + editId + "\"]}", "appears twice"},
            new String[] {"{\"edits\": [], \"color\": \"red\"}", "unknown field"},
            new String[] {"[]", "expected {"},
            new String[] {"{\"edits\": [\"\\ud800\"]}", "lone surrogate"});
    for (String[] b : bodies) {
      for (String type : List.of(JSON, "X-None: 1")) {
        add(
            "variant body " + abbreviate(b[0]) + " / " + type,
            request("PUT", VARIANTS + "other", b[0].getBytes(StandardCharsets.UTF_8), auth, type),
            b[1],
            400);
      }
    }
    byte[] chunkedWithTrailer =
        ("13\r\n{\"edits\": [\"nope\"]}\r\n0\r\nX-Trailer: 1\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    add(
        "chunked body with a trailer",
        request(
            "PUT",
            VARIANTS + "other",
            chunkedWithTrailer,
            auth,
            JSON,
            "Transfer-Encoding: chunked"),
        "'nope', which does not exist",
        400);
  }

  private void badEditFiles(Edit valid, Path dir) throws IOException {
    byte[] good = EditFile.bytes(valid);
    ParamDelta first = valid.params().get(0);
    add("empty edit file", file(new byte[0]), "empty", 400);
    add("truncated edit file", file(java.util.Arrays.copyOf(good, good.length / 2)), "not a", 400);
    add("random bytes", file("not an edit file at all".getBytes()), "not a valid edit file", 400);
    byte[] flipped = good.clone();
    flipped[flipped.length - 7] ^= 0x10;
    add("one bit flipped", file(flipped), "corrupted edit file", 400);
    add(
        "alpha NaN in the description",
        file(rewrite(good, dir, d -> alpha(d, Float.NaN), true)),
        "its description does not match",
        400);
    add(
        "alpha x1000 in the description, old-style digest",
        file(rewrite(good, dir, d -> alpha(d, first.alpha() * 1000), false)),
        "altered edit file",
        400);
    add(
        "a new id in the description",
        file(
            rewrite(
                good,
                dir,
                d -> {
                  d.addProperty("id", "e0123456789abcde");
                  return d;
                },
                false)),
        "altered edit file",
        400);
    add(
        "a parameter listed twice",
        file(
            rewrite(
                good,
                dir,
                d -> {
                  d.getAsJsonArray("params").add(d.getAsJsonArray("params").get(0));
                  return d;
                },
                false)),
        "listed twice",
        400);
    add(
        "alpha x1000, every digest and the id recomputed",
        file(EditFile.bytes(withFirst(valid, first.u(), first.alpha() * 1000))),
        "would change its weight by",
        422);
    float[] nan = first.u().clone();
    nan[nan.length / 2] = Float.NaN;
    add(
        "NaN in the factors, every digest and the id recomputed",
        file(EditFile.bytes(withFirst(valid, nan, first.alpha()))),
        "is NaN",
        400);
    add(
        "an edit file as text/plain",
        request("POST", EDITS, good, auth, "Content-Type: text/plain"),
        "unsupported Content-Type",
        415);
  }

  private byte[] file(byte[] bytes) {
    return request("POST", EDITS, bytes, auth, OCTETS);
  }

  private static JsonObject alpha(JsonObject description, float alpha) {
    description.getAsJsonArray("params").get(0).getAsJsonObject().addProperty("alpha", alpha);
    return description;
  }

  private static Edit withFirst(Edit edit, float[] u, float alpha) {
    List<ParamDelta> params = new ArrayList<>(edit.params());
    ParamDelta p = params.get(0);
    params.set(
        0,
        new ParamDelta(
            p.name(), p.shape(), p.fingerprint(), p.rows(), u, p.delta(), alpha, p.keyValues()));
    return Edit.create(edit.created(), edit.editorId(), edit.requests(), params);
  }

  /** The file's tensors with its description changed and its tensor digest recomputed. */
  private static byte[] rewrite(
      byte[] file, Path dir, UnaryOperator<JsonObject> change, boolean keepFullDigest)
      throws IOException {
    Path in = Files.write(Files.createTempFile(dir, "in", EditFile.SUFFIX), file);
    SafeTensorsFile st = SafeTensorsFile.open(in);
    SafeTensorsWriter writer = new SafeTensorsWriter();
    st.tensors().forEach((t, info) -> writer.add(t, info.shape(), st.floats(t)));
    JsonObject d = JsonParser.parseString(st.metadata().get("mend4j.edit")).getAsJsonObject();
    writer.metadata("mend4j.edit", change.apply(d).toString());
    writer.metadata("sha256", writer.dataSha256());
    if (keepFullDigest) {
      writer.metadata("mend4j.sha256", st.metadata().get("mend4j.sha256"));
    }
    return writer.toBytes();
  }

  private void badPaths() {
    List<String[]> paths =
        List.of(
            new String[] {"GET", "/admin", "no such endpoint"},
            new String[] {"GET", "/mend4j/v2/status", "no such endpoint"},
            new String[] {"GET", "/mend4j/v1/status/x", "no such endpoint"},
            new String[] {"GET", EDITS + "/", "no such endpoint"},
            new String[] {"GET", EDITS + "/nope", "no edit with id 'nope'"},
            new String[] {"POST", EDITS + "/nope/enable", "no edit with id 'nope'"},
            new String[] {"POST", EDITS + "/" + editId + "/explode", "no such endpoint"},
            new String[] {"DELETE", VARIANTS + "nope", "no variant 'nope'"},
            new String[] {"PATCH", "/mend4j/v1/status", "not allowed here"},
            new String[] {"OPTIONS", EDITS, "not allowed here"},
            new String[] {"TRACE", EDITS, "not allowed here"},
            new String[] {"PUT", EDITS, "not allowed here"},
            new String[] {"GET", "/mend4j/v1/%1b%5B31mred", "malformed HTTP request"},
            new String[] {"DELETE", "/metrics", "not allowed here"});
    for (String[] p : paths) {
      // an escape in the path is refused by Jetty itself, before routing
      add(p[0] + " " + p[1], request(p[0], p[1], null, auth), p[2], 400, 404, 405);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
