package org.mend4j.tests.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.tests.control.HostileRequests.Hostile;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.RawHttp;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.WorldFacts;

/**
 * demo-app with the agent, attacked from loopback as a hostile local user would: over 300 requests
 * with wrong tokens, broken HTTP framing, lenient JSON, bad variants and damaged or altered edit
 * files, each answered with its 4xx and a JSON error, after which the service serves as before and
 * its edits, variants and {@code state.json} are unchanged; slow clients that hold connections; and
 * the variant header, which is ignored unless the operator turns it on.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlHostileInputTest {

  private static final int TOKENS = 3;
  private static final String ESC = "\u001b";

  @TempDir static Path tmp;
  private ControlledService service;
  private AdminClient admin;
  private int port;
  private CounterFactRecord kethia;
  private String kethiaEdit;
  private Edit valid;

  @BeforeAll
  void start() throws IOException {
    kethia = WorldFacts.fact(WorldFacts.KETHIA);
    CounterFactRecord gitek = WorldFacts.fact(WorldFacts.GITEK);
    try (ReferenceModel reference = ReferenceModel.load(WorldFacts.model())) {
      valid = reference.mendEdit(WorldFacts.editor(), WorldFacts.request(gitek));
    }
    service =
        ControlledService.start(
            "hostile", tmp.resolve("edits"), Map.of("variants.header", "false"));
    admin = service.admin();
    port = admin.base().getPort();
    JsonElement created = admin.expect(201, "POST", "/mend4j/v1/edits", WorldFacts.json(kethia));
    kethiaEdit = created.getAsJsonObject().get("id").getAsString();
    admin.expect(200, "PUT", "/mend4j/v1/variants/bare", "{\"edits\": []}");
    admin.expect(200, "PUT", "/mend4j/v1/variants/half", "{\"edits\": [], \"traffic_percent\": 0}");
    admin.expect(
        200,
        "PUT",
        "/mend4j/v1/variants/big",
        "{\"edits\": [\"" + kethiaEdit + "\"], \"traffic_percent\": 50}");
  }

  @AfterAll
  void stop() {
    service.close();
  }

  /** What must not change: the edits, variants, state file, edit files and an edited answer. */
  private List<String> observed() throws IOException {
    List<String> out = new ArrayList<>();
    out.add(admin.call("GET", "/mend4j/v1/edits", null).body());
    out.add(admin.call("GET", "/mend4j/v1/variants", null).body());
    Path edits = tmp.resolve("edits");
    out.add(Files.readString(edits.resolve("state.json")));
    try (Stream<Path> files = Files.list(edits)) {
      out.add(files.map(p -> p.getFileName().toString()).sorted().toList().toString());
    }
    out.add(service.answer(kethia.prompt(), TOKENS, Map.of("X-Request-Id", "fixed-0")));
    return out;
  }

  @Test
  void hostileRequestsAreRefusedAsJsonAndChangeNothing() throws IOException {
    List<String> before = observed();
    long authBefore = metric("mend4j_admin_auth_failures_total");
    List<Hostile> cases = HostileRequests.all(ControlledService.TOKEN, kethiaEdit, valid, tmp);
    assertThat(cases).hasSizeGreaterThanOrEqualTo(300);
    long start = System.nanoTime();
    int unauthenticated = 0;
    SoftAssertions each = new SoftAssertions();
    for (Hostile h : cases) {
      RawHttp.Answer a = RawHttp.send(port, h.bytes());
      each.assertThat(a.status())
          .as(h.name() + ": " + a.head() + "\n" + a.body())
          .isIn(h.statuses());
      JsonElement json = a.json();
      boolean error = json != null && json.isJsonObject() && json.getAsJsonObject().has("error");
      each.assertThat(error).as(h.name() + ": a JSON error, found " + a.body()).isTrue();
      if (error) {
        each.assertThat(json.getAsJsonObject().get("error").getAsString())
            .as(h.name())
            .contains(h.fragment())
            .doesNotContain(ESC);
      }
      if (a.status() == 401) {
        unauthenticated++;
      }
    }
    each.assertAll();
    System.out.printf(
        "%d hostile requests refused in %.1f s%n", cases.size(), (System.nanoTime() - start) / 1e9);

    assertThat(observed()).as("edits, variants, state.json, files, answers").isEqualTo(before);
    assertThat(service.app().client().generate(kethia.localityPrompt(), TOKENS).text())
        .isNotBlank();
    JsonObject status = service.status();
    assertThat(status.getAsJsonObject("counters").get("suppressed_errors").getAsLong()).isZero();
    assertThat(metric("mend4j_admin_auth_failures_total") - authBefore).isEqualTo(unauthenticated);
    String log = Files.readString(service.app().log());
    assertThat(log).doesNotContain(ESC);
    assertThat(log.lines().filter(l -> l.contains("refused: missing or wrong bearer token")))
        .as("refused authentications are logged at most once a minute")
        .hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void twentySlowClientsDoNotStallAuthenticatedRequests() throws IOException {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        slow.add(RawHttp.hold(port, "GET /mend4j/v1/sta"));
        slow.add(
            RawHttp.hold(
                port,
                "POST /mend4j/v1/edits HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{"));
      }
      long slowest = 0;
      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        assertThat(
                admin.call("GET", i % 2 == 0 ? "/mend4j/v1/status" : "/metrics", null).statusCode())
            .isEqualTo(200);
        slowest = Math.max(slowest, System.nanoTime() - start);
      }
      // served while every slow client still holds its connection (the deadline is 10 s), not
      // after one was freed: the property itself, so no wall-clock bound gates the test
      for (int i = 0; i < slow.size(); i += 2) {
        assertThat(RawHttp.stillOpen(slow.get(i))).as("slow connection " + i).isTrue();
      }
      System.out.printf(
          "with 20 slow clients held, the slowest of 10 admin calls took %.0f ms%n", slowest / 1e6);
      RawHttp.Answer refused = RawHttp.read(slow.get(1));
      assertThat(refused.status()).as("refused from its headers, body unread").isEqualTo(401);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void theVariantHeaderIsIgnoredUnlessTurnedOnAndNeverLoggedRaw() throws IOException {
    String edited = service.answer(kethia.prompt(), TOKENS, Map.of("X-Request-Id", "fixed-0"));
    long ignored = service.status().get("ignored_variant_headers").getAsLong();
    assertThat(service.answer(kethia.prompt(), TOKENS, Map.of("X-Mend4j-Variant", "bare")))
        .as("an empty variant named by any client does not bypass the enabled edits")
        .isEqualTo(edited)
        .contains(kethia.targetNew().strip());
    // an ANSI escape no HTTP client library would send: as bytes, to the host's own port
    byte[] generate =
        ("{\"prompt\": \"" + kethia.prompt() + "\", \"max_new_tokens\": 1}")
            .getBytes(StandardCharsets.UTF_8);
    RawHttp.Answer answer =
        RawHttp.send(
            service.app().client().base().getPort(),
            RawHttp.request(
                "POST",
                "/generate",
                generate,
                "Content-Type: application/json",
                "Connection: close",
                "X-Mend4j-Variant: " + ESC + "[31mred"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(service.status().get("ignored_variant_headers").getAsLong() - ignored).isEqualTo(2);
    assertThat(Files.readString(service.app().log(), StandardCharsets.UTF_8)).doesNotContain(ESC);
  }

  private long metric(String name) throws IOException {
    return admin
        .call("GET", "/metrics", null)
        .body()
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> Long.parseLong(l.substring(name.length() + 1).strip()))
        .findFirst()
        .orElseThrow();
  }
}
