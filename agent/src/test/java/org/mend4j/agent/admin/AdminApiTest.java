package org.mend4j.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.testing.FakeBinder;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.service.AdminClient;

/**
 * The admin API's routing, authentication and refusals over real HTTP on loopback, with a registry
 * bound by a fake host (no DJL, no model: edits are imported as files).
 */
class AdminApiTest {

  private static final String TOKEN = TestAdmin.TOKEN;
  private static final Param FC = new Param("transformer.h.1.mlp.c_fc.weight", 4, 8, "sha256:fc");
  private static final Param FOREIGN =
      new Param("transformer.h.1.mlp.c_fc.weight", 4, 8, "sha256:another-model");

  @TempDir Path dir;
  private AdminServer server;
  private EditRegistry registry;
  private final FakeBinder binder = new FakeBinder(Set.of("sha256:fc"));

  @BeforeEach
  void start() throws Exception {
    registry = new EditRegistry(new AtomicReference<Snapshot>(), binder, () -> true, false);
    registry.settle();
    server = TestAdmin.start(registry, EditStore.of(dir.resolve("edits")));
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<String> call(
      String method, String path, String token, String type, byte[] body) throws Exception {
    return new AdminClient(server.port(), token).send(method, path, type, body);
  }

  private HttpResponse<String> call(String method, String path, String json) throws Exception {
    return new AdminClient(server.port(), TOKEN).call(method, path, json);
  }

  private HttpResponse<String> importFile(byte[] bytes) throws Exception {
    return call("POST", "/mend4j/v1/edits", TOKEN, "application/octet-stream", bytes);
  }

  private static JsonElement json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body());
  }

  private static void assertError(HttpResponse<String> r, int status, String... fragments) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    String error = json(r).getAsJsonObject().get("error").getAsString();
    for (String f : fragments) {
      assertThat(error).contains(f);
    }
  }

  @Test
  void everyRequestNeedsTheBearerTokenEvenForUnknownPaths() throws Exception {
    assertError(call("GET", "/mend4j/v1/status", null, null, null), 401, "Authorization: Bearer");
    assertError(call("GET", "/mend4j/v1/status", "wrong", null, null), 401, "wrong token");
    assertError(call("GET", "/secret/path", null, null, null), 401);
    assertError(call("GET", "/metrics", null, null, null), 401);
    HttpResponse<String> r = call("GET", "/mend4j/v1/status", null, null, null);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mend4j\"");
    assertThat(call("GET", "/mend4j/v1/status", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theConsoleIsServedWithoutTheTokenAndHoldsNoData() throws Exception {
    Edit edit = TestEdits.edit("A prompt only the registry knows", 1, FC);
    importFile(EditFile.bytes(edit));
    for (String path : List.of("/mend4j/console", "/mend4j/console/")) {
      HttpResponse<String> page = call("GET", path, null, null, null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(
              p -> assertThat(p).contains("default-src 'none'", "script-src 'self'"));
      assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(page.body())
          .contains("/mend4j/console/console.js")
          .doesNotContain("only the registry", edit.id());
    }
    HttpResponse<String> script = call("GET", "/mend4j/console/console.js", null, null, null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).contains("sessionStorage");
    assertThat(call("GET", "/mend4j/console/console.css", null, null, null).statusCode())
        .isEqualTo(200);
    // only the listed files are public; anything else under the path, or another method, still
    // needs the token first
    assertError(call("GET", "/mend4j/console/other.js", null, null, null), 401);
    assertError(call("POST", "/mend4j/console", null, null, null), 401);
    assertError(call("GET", "/mend4j/console/other.js", null), 404, "no such endpoint");
    assertError(
        call("GET", "/mend4j/console", null, "text/plain", "x".getBytes(StandardCharsets.UTF_8)),
        400,
        "takes no body");
  }

  @Test
  void tryItNeedsTheTokenAValidRequestAndAModel() throws Exception {
    String body = "{\"prompt\": \"The capital of X is\"}";
    assertError(
        call("POST", "/mend4j/v1/try", null, "application/json", body.getBytes("UTF-8")), 401);
    assertError(call("GET", "/mend4j/v1/try", null), 405, "use POST");
    assertError(call("POST", "/mend4j/v1/try", "{\"prompt\": \"\"}"), 400, "'prompt'");
    assertError(call("POST", "/mend4j/v1/try", "{\"promt\": \"a\"}"), 400, "promt");
    assertError(
        call("POST", "/mend4j/v1/try", "{\"prompt\": \"a\", \"max_new_tokens\": 65}"),
        400,
        "'max_new_tokens' must be a whole number from 1 to 64");
    assertError(
        call("POST", "/mend4j/v1/try", "{\"prompt\": \"a\", \"max_new_tokens\": 1.5}"),
        400,
        "max_new_tokens");
    assertError(call("POST", "/mend4j/v1/try", body), 409, "model=DIR");
  }

  @Test
  void importListToggleDeleteAndPersist() throws Exception {
    Edit edit = TestEdits.edit("The capital of X is", 1, FC);
    HttpResponse<String> created = importFile(EditFile.bytes(edit));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(json(created).getAsJsonObject().get("id").getAsString()).isEqualTo(edit.id());
    assertThat(json(created).getAsJsonObject().get("state").getAsString()).isEqualTo("BOUND");
    assertThat(created.headers().firstValue("Location")).hasValue("/mend4j/v1/edits/" + edit.id());
    assertThat(binder.calls).as("bound once: checked, then registered").hasSize(1);

    JsonArray edits = json(call("GET", "/mend4j/v1/edits", null)).getAsJsonArray();
    assertThat(edits).hasSize(1);
    JsonObject e = edits.get(0).getAsJsonObject();
    assertThat(e.get("id").getAsString()).isEqualTo(edit.id());
    assertThat(e.get("prompt").getAsString()).isEqualTo("The capital of X is");
    assertThat(e.get("target_new").getAsString()).isEqualTo("target");
    assertThat(e.get("enabled").getAsBoolean()).isTrue();
    assertThat(e.get("created").getAsString()).isEqualTo("2025-01-01T00:00:00Z");

    HttpResponse<String> off = call("POST", "/mend4j/v1/edits/" + edit.id() + "/disable", null);
    assertThat(off.statusCode()).isEqualTo(200);
    assertThat(json(off).getAsJsonObject().get("enabled").getAsBoolean()).isFalse();
    assertThat(registry.current().active().isEmpty()).isTrue();
    Path state = dir.resolve("edits/state.json");
    assertThat(Files.readString(state)).contains("\"enabled\": false");
    assertThat(dir.resolve("edits/" + edit.id() + EditFile.SUFFIX)).exists();
    assertThat(call("POST", "/mend4j/v1/edits/" + edit.id() + "/enable", null).statusCode())
        .isEqualTo(200);
    assertThat(registry.current().active().editIds()).containsExactly(edit.id());

    JsonObject status = json(call("GET", "/mend4j/v1/status", null)).getAsJsonObject();
    assertThat(status.getAsJsonObject("edit_counts").get("bound").getAsInt()).isEqualTo(1);
    assertThat(status.get("tracked_layers").getAsInt()).isEqualTo(7);
    assertThat(status.getAsJsonArray("djl_copies").get(0).getAsJsonObject().get("class_loader"))
        .hasToString("\"test-loader\"");
    assertThat(status.getAsJsonArray("bound_layers").toString()).contains("x");

    assertThat(call("DELETE", "/mend4j/v1/edits/" + edit.id(), null).statusCode()).isEqualTo(200);
    assertThat(dir.resolve("edits/" + edit.id() + EditFile.SUFFIX)).doesNotExist();
    assertThat(Files.readString(state)).doesNotContain(edit.id());
    assertError(call("DELETE", "/mend4j/v1/edits/" + edit.id(), null), 404, edit.id());
  }

  @Test
  void variantsAreDefinedListedAndDeleted() throws Exception {
    Edit edit = TestEdits.edit("p", 1, FC);
    importFile(EditFile.bytes(edit));
    HttpResponse<String> put =
        call(
            "PUT",
            "/mend4j/v1/variants/canary",
            "{\"edits\": [\"" + edit.id() + "\"], \"traffic_percent\": 12.5}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(call("PUT", "/mend4j/v1/variants/original", "{\"edits\": []}").statusCode())
        .isEqualTo(200);
    JsonArray variants = json(call("GET", "/mend4j/v1/variants", null)).getAsJsonArray();
    assertThat(variants.toString())
        .isEqualTo(
            "[{\"name\":\"canary\",\"edits\":[\""
                + edit.id()
                + "\"],\"traffic_percent\":12.5},"
                + "{\"name\":\"original\",\"edits\":[],\"traffic_percent\":0.0}]");
    assertThat(Files.readString(dir.resolve("edits/state.json"))).contains("canary");

    assertError(
        call("PUT", "/mend4j/v1/variants/x", "{\"edits\": [\"nope\"]}"),
        400,
        "'nope', which does not exist");
    assertError(
        call("PUT", "/mend4j/v1/variants/x", "{\"edits\": [], \"traffic_percent\": 90}"),
        400,
        "add up to 102.5");
    assertError(
        call("PUT", "/mend4j/v1/variants/x", "{\"edits\": [], \"traffic_percent\": \"ten\"}"),
        400,
        "'traffic_percent' must be a number");
    assertError(
        call("PUT", "/mend4j/v1/variants/x", "{\"edit\": []}"), 400, "unknown field 'edit'");
    assertError(call("PUT", "/mend4j/v1/variants/default", "{\"edits\": []}"), 400, "default");
    assertError(call("PUT", "/mend4j/v1/variants/b%20c", "{\"edits\": []}"), 400, "letters");

    assertThat(call("DELETE", "/mend4j/v1/variants/canary", null).statusCode()).isEqualTo(200);
    assertError(call("DELETE", "/mend4j/v1/variants/canary", null), 404, "no variant 'canary'");
    assertThat(json(call("GET", "/mend4j/v1/variants", null)).getAsJsonArray()).hasSize(1);
  }

  @Test
  void badInputIsRefusedWithAClearMessageAndChangesNothing() throws Exception {
    Edit edit = TestEdits.edit("p", 1, FC);
    importFile(EditFile.bytes(edit));
    String before = call("GET", "/mend4j/v1/edits", null).body();
    String stateBefore = Files.readString(dir.resolve("edits/state.json"));

    assertError(call("POST", "/mend4j/v1/edits", "{\"prompt\": \"a\", "), 400, "malformed JSON");
    assertError(call("POST", "/mend4j/v1/edits", "{prompt: 'a'}"), 400, "malformed JSON");
    assertError(call("POST", "/mend4j/v1/edits", "{} {}"), 400, "more than one value");
    assertError(
        call("POST", "/mend4j/v1/edits", "{\"prompt\": \"a\", \"prompt\": \"b\"}"),
        400,
        "the key 'prompt' appears twice");
    assertError(
        call("POST", "/mend4j/v1/edits", "{\"prompt\": \"a\\ud800\", \"target_new\": \"b\"}"),
        400,
        "lone surrogate");
    assertError(
        call(
            "POST",
            "/mend4j/v1/edits",
            TOKEN,
            "application/json",
            new byte[] {'{', '"', 'p', '"', ':', '"', (byte) 0xc3, '"', '}'}),
        400,
        "not valid UTF-8");
    for (String name : List.of(".", "..", ".hidden", "DEFAULT", "Default")) {
      assertThat(call("PUT", "/mend4j/v1/variants/" + name, "{\"edits\": []}").statusCode())
          .as(name)
          .isIn(400, 404);
    }
    assertError(
        call("PUT", "/mend4j/v1/variants/DEFAULT", "{\"edits\": []}"), 400, "'DEFAULT' names");
    assertError(
        call("PUT", "/mend4j/v1/variants/a", "{\"edits\": [], \"traffic_percent\": 50.004}"),
        400,
        "more than two decimals");
    assertError(call("POST", "/mend4j/v1/edits", ""), 400, "empty");
    assertError(call("POST", "/mend4j/v1/edits", "[]"), 400, "empty");
    assertError(call("POST", "/mend4j/v1/edits", "42"), 400, "expected an edit request");
    assertError(
        call(
            "POST",
            "/mend4j/v1/edits",
            "{\"prompt\": \"The capital of X is\", \"target_new\": \" \"}"),
        400,
        "'target_new' is empty");
    assertError(
        call(
            "POST",
            "/mend4j/v1/edits",
            "[{\"prompt\": \"p\", \"target_new\": \"t\"}, {\"prompt\": \"p\"}]"),
        400,
        "edit request [1]: 'target_new' is missing");
    assertError(
        call("POST", "/mend4j/v1/edits", "{\"prompt\": \"p\", \"target\": \"t\"}"),
        400,
        "unknown field 'target'");
    assertError(
        call("POST", "/mend4j/v1/edits", "{\"prompt\": 1, \"target_new\": \"t\"}"),
        400,
        "'prompt' must be a string");
    assertError(
        call("POST", "/mend4j/v1/edits", "{\"prompt\": \"" + "x".repeat(2000) + "\"}"),
        413,
        "limit of 1024 bytes");
    assertError(
        call("POST", "/mend4j/v1/edits", "{\"prompt\": \"p\", \"target_new\": \"t\"}"),
        409,
        "model=DIR and editor=DIR");
    assertError(
        call("POST", "/mend4j/v1/edits", TOKEN, "text/plain", "hi".getBytes()),
        415,
        "application/octet-stream");

    assertError(importFile(EditFile.bytes(edit)), 409, "already exists");
    assertError(
        importFile(EditFile.bytes(TestEdits.edit("f", 9, FOREIGN))),
        422,
        "parameter 'transformer.h.1.mlp.c_fc.weight'",
        "computed for another model");
    byte[] corrupted = EditFile.bytes(TestEdits.edit("c", 5, FC));
    corrupted[corrupted.length - 2] ^= 0x40;
    assertError(importFile(corrupted), 400, "corrupted edit file", "the uploaded file");
    assertError(importFile("not an edit file".getBytes()), 400, "not a valid edit file");
    assertError(importFile(new byte[0]), 400, "empty");
    assertError(importFile(new byte[(1 << 20) + 10]), 413, "limit");

    assertError(call("POST", "/mend4j/v1/edits/nope/enable", null), 404, "no edit with id 'nope'");
    assertError(call("POST", "/mend4j/v1/edits/nope/disable", null), 404, "'nope'");
    assertError(call("DELETE", "/mend4j/v1/edits/nope", null), 404, "'nope'");
    assertError(call("GET", "/mend4j/v1/edits/nope", null), 404, "'nope'");
    assertError(
        call("POST", "/mend4j/v1/edits/" + edit.id() + "/explode", null), 404, "no such endpoint");
    assertError(call("PUT", "/mend4j/v1/edits", "{}"), 405, "use GET or POST");
    assertError(call("GET", "/mend4j/v1/nothing", null), 404, "GET /mend4j/v1/nothing");

    assertThat(call("GET", "/mend4j/v1/edits", null).body()).isEqualTo(before);
    assertThat(Files.readString(dir.resolve("edits/state.json"))).isEqualTo(stateBefore);
    try (var files = Files.list(dir.resolve("edits"))) {
      assertThat(files).hasSize(2);
    }
  }

  @Test
  void metricsAreInThePrometheusTextFormat() throws Exception {
    HttpResponse<String> r = call("GET", "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    List<String> lines = r.body().lines().toList();
    assertThat(lines)
        .contains(
            "# TYPE mend4j_requests_total counter",
            "mend4j_requests_total{variant=\"default\"} 0",
            "mend4j_suppressed_errors_total 0",
            "mend4j_edit_deltas_applied_total 0",
            "mend4j_edit_latency_seconds_count 0",
            "mend4j_edits{state=\"bound\"} 0");
    for (String line : lines) {
      assertThat(line).matches("(# (HELP|TYPE) \\w+ .+)|(\\w+(\\{\\w+=\"[\\w.-]+\"\\})? [0-9.]+)");
    }
  }

  @Test
  void twentySlowClientsDoNotDelayAnAuthenticatedRequest() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      call("GET", "/mend4j/v1/status", null); // the client warmed up, so what follows is the server
      for (int i = 0; i < 10; i++) {
        slow.add(open("GET /mend4j/v1/sta")); // headers that never end
        slow.add(
            open("POST /mend4j/v1/edits HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{"));
      }
      for (int i = 0; i < 5; i++) {
        assertThat(call("GET", "/mend4j/v1/status", null).statusCode()).isEqualTo(200);
      }
      // served while every slow client still holds its connection (not after the deadline freed
      // it, as a server with a thread per slow client would): no wall-clock bound needed
      for (int i = 0; i < slow.size(); i += 2) {
        assertThat(stillOpen(slow.get(i))).as("slow connection " + i).isTrue();
      }
      // the unauthenticated body was refused from its headers, before it was read
      String answer = answer(slow.get(1));
      assertThat(answer).startsWith("HTTP/1.1 401").contains("{\"error\":\"missing or wrong token");
      // and a connection that never completes its request is closed at the deadline (2 s here)
      assertThat(answer(slow.get(0))).isEmpty();
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void protocolErrorsAreAnsweredAsJson() throws Exception {
    String auth = "Authorization: Bearer " + TOKEN + "\r\n";
    String put = "PUT /mend4j/v1/variants/a HTTP/1.1\r\nHost: x\r\n" + auth;
    assertRaw(put + "Content-Length: -5\r\n\r\n", 400, "malformed HTTP request");
    assertRaw(put + "Transfer-Encoding: gzip\r\n\r\n", 400, "malformed HTTP request");
    assertRaw(put + "Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", 400, "body");
    assertRaw(put + "Content-Length: 1000000000\r\n\r\n", 413, "limit of 1024 bytes");
    assertRaw(put + "Expect: 100-continue\r\nContent-Length: 5000\r\n\r\n", 413, "limit of 1024");
    assertRaw(put + "Content-Length: 3\r\n\r\n\"\u00ff\"", 400, "not valid UTF-8");
    assertRaw(
        "GET /mend4j/v1/status HTTP/1.1\r\nAuthorization: Bearer "
            + "a".repeat(20_000)
            + "\r\n\r\n",
        431,
        "headers are larger");
    assertRaw(
        put
            + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
            + "d\r\n{\"edits\": []}\r\n0\r\nX-Trailer: 1\r\n\r\n",
        200,
        "\"name\":\"a\"");
  }

  @Test
  void refusedAuthenticationsAreCounted() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(call("GET", "/mend4j/v1/status", "wrong", null, null).statusCode()).isEqualTo(401);
    }
    assertThat(call("GET", "/metrics", null).body().lines())
        .contains(
            "mend4j_admin_auth_failures_total 3",
            "mend4j_admin_refused_requests_total{status=\"401\"} 3");
  }

  private Socket open(String head) throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(5_000);
    s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return s;
  }

  /** Whether the server has not closed {@code s} (a short read times out instead of ending). */
  private static boolean stillOpen(Socket s) throws IOException {
    int timeout = s.getSoTimeout();
    s.setSoTimeout(20);
    try {
      return s.getInputStream().read() != -1;
    } catch (java.net.SocketTimeoutException e) {
      return true;
    } finally {
      s.setSoTimeout(timeout);
    }
  }

  private static String answer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private void assertRaw(String request, int status, String fragment) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = answer(s);
      assertThat(answer).as(request).startsWith("HTTP/1.1 " + status);
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertThat(JsonParser.parseString(body).isJsonObject()).as(answer).isTrue();
      assertThat(body).as(request).contains(fragment);
    }
  }
}
