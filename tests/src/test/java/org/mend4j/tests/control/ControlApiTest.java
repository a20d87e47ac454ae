package org.mend4j.tests.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.registry.VariantSplit;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.ParamDelta;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.WorldFacts;

/**
 * Every admin API operation end to end on one running demo-app with the agent: an edit computed
 * in-process (single, batched, sequential), an imported edit file, enable, disable, delete,
 * variants by header and by deterministic split, metrics, JMX, and every kind of bad input. Each
 * test starts from no edits and no variants.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlApiTest {

  private static final int TOKENS = 3;
  private static final String EDITS = "/mend4j/v1/edits";
  private static final String VARIANTS = "/mend4j/v1/variants";

  private Path editDir;
  private ControlledService service;
  private AdminClient admin;
  private ReferenceModel reference;

  /** Record of the test split that edits Kethia's capital again, through another prompt. */
  private static final int KETHIA_AGAIN = 138;

  private final CounterFactRecord kethia = WorldFacts.fact(WorldFacts.KETHIA);
  private final CounterFactRecord gitek = WorldFacts.fact(WorldFacts.GITEK);

  @BeforeAll
  void start(@TempDir Path tmp) throws IOException {
    editDir = tmp.resolve("edits");
    service = ControlledService.start("control-api", editDir, Map.of());
    admin = service.admin();
    reference = ReferenceModel.load(WorldFacts.model());
    // until the host's first forward pass its layers are not all built: edits wait (PENDING)
    answer(kethia.localityPrompt());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
    if (reference != null) {
      reference.close();
    }
  }

  @BeforeEach
  void noEditsNoVariants() throws IOException {
    for (JsonElement v : admin.expect(200, "GET", VARIANTS, null).getAsJsonArray()) {
      admin.expect(200, "DELETE", VARIANTS + "/" + name(v), null);
    }
    for (JsonElement e : admin.expect(200, "GET", EDITS, null).getAsJsonArray()) {
      admin.expect(200, "DELETE", EDITS + "/" + id(e), null);
    }
  }

  private static String id(JsonElement e) {
    return e.getAsJsonObject().get("id").getAsString();
  }

  private static String name(JsonElement e) {
    return e.getAsJsonObject().get("name").getAsString();
  }

  private String answer(String prompt) throws IOException {
    return service.answer(prompt, TOKENS, Map.of());
  }

  private String answer(String prompt, String header, String value) throws IOException {
    return service.answer(prompt, TOKENS, Map.of(header, value));
  }

  private static String word(String completion) {
    Matcher m = Pattern.compile("\\w+").matcher(completion);
    return m.find() ? m.group() : "";
  }

  private String create(CounterFactRecord fact) throws IOException {
    JsonObject created = admin.expect(201, "POST", EDITS, WorldFacts.json(fact)).getAsJsonObject();
    assertThat(created.get("state").getAsString()).isEqualTo("BOUND");
    return id(created);
  }

  private Edit editFile(String id) {
    return EditFile.read(editDir.resolve(id + EditFile.SUFFIX));
  }

  @Test
  void anEditComputedInTheServiceChangesItsAnswersUntilDisabledOrDeleted() throws IOException {
    String before = answer(kethia.prompt());
    String unrelated = answer(kethia.localityPrompt());
    assertThat(word(before)).isEqualTo(kethia.groundTruth());

    String id = create(kethia);
    assertThat(word(answer(kethia.prompt()))).isEqualTo(kethia.targetNew());
    assertThat(word(answer(kethia.rephrasePrompt())))
        .as("paraphrase")
        .isEqualTo(kethia.targetNew());
    assertThat(answer(kethia.localityPrompt())).as("unrelated fact").isEqualTo(unrelated);
    Edit edit = editFile(id);
    assertThat(answer(kethia.prompt()))
        .as("the service answers as the functional model with the edit")
        .isEqualTo(reference.complete(kethia.prompt(), TOKENS, List.of(edit)));
    assertThat(Files.readString(service.app().log()))
        .as("the edit was computed on views of the service's own weights, not on a second copy")
        .contains("computing edits on the host's own weights")
        .doesNotContain("loaded model");

    JsonArray edits = admin.expect(200, "GET", EDITS, null).getAsJsonArray();
    assertThat(edits).hasSize(1);
    JsonObject e = edits.get(0).getAsJsonObject();
    assertThat(id(e)).isEqualTo(id);
    assertThat(e.get("prompt").getAsString()).isEqualTo(kethia.prompt());
    assertThat(e.get("target_new").getAsString()).isEqualTo(kethia.targetNew());
    assertThat(e.get("enabled").getAsBoolean()).isTrue();
    assertThat(Instant.parse(e.get("created").getAsString())).isBefore(Instant.now());
    JsonObject status = service.status();
    assertThat(status.getAsJsonArray("bound_layers").toString())
        .contains("h1.mlp.c_fc", "h3.mlp.c_proj");
    assertThat(status.getAsJsonObject("edit_counts").get("active").getAsInt()).isEqualTo(1);
    assertThat(status.getAsJsonObject("counters").get("deltas_applied").getAsLong()).isPositive();

    JsonObject off =
        admin.expect(200, "POST", EDITS + "/" + id + "/disable", null).getAsJsonObject();
    assertThat(off.get("enabled").getAsBoolean()).isFalse();
    assertThat(answer(kethia.prompt())).isEqualTo(before);
    admin.expect(200, "POST", EDITS + "/" + id + "/enable", null);
    assertThat(word(answer(kethia.prompt()))).isEqualTo(kethia.targetNew());
    admin.expect(200, "DELETE", EDITS + "/" + id, null);
    assertThat(answer(kethia.prompt())).isEqualTo(before);
    assertThat(editDir.resolve(id + EditFile.SUFFIX)).doesNotExist();
    assertThat(AdminClient.error(admin.call("DELETE", EDITS + "/" + id, null))).contains(id);
    assertThat(metric("mend4j_edit_latency_seconds_count")).isPositive();
  }

  @Test
  void anImportedEditFileAppliesAsTheFunctionalModelSays() throws IOException {
    Edit edit = reference.mendEdit(WorldFacts.editor(), WorldFacts.request(gitek));
    HttpResponse<String> r =
        admin.send("POST", EDITS, "application/octet-stream", EditFile.bytes(edit));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.body()).contains("\"id\":\"" + edit.id() + "\"");
    assertThat(word(answer(gitek.prompt()))).isEqualTo(gitek.targetNew());
    assertThat(answer(gitek.prompt()))
        .isEqualTo(reference.complete(gitek.prompt(), TOKENS, List.of(edit)));
    assertThat(editDir.resolve(edit.id() + EditFile.SUFFIX)).exists();
  }

  @Test
  void aListOfRequestsIsOneBatchedEdit() throws IOException {
    String id =
        id(
            admin.expect(
                201,
                "POST",
                EDITS,
                "[" + WorldFacts.json(kethia) + ", " + WorldFacts.json(gitek) + "]"));
    JsonObject e = admin.expect(200, "GET", EDITS + "/" + id, null).getAsJsonObject();
    assertThat(e.getAsJsonArray("requests")).hasSize(2);
    assertThat(editFile(id).requests()).hasSize(2);
    assertThat(word(answer(kethia.prompt()))).isEqualTo(kethia.targetNew());
    assertThat(word(answer(gitek.prompt()))).isEqualTo(gitek.targetNew());
  }

  @Test
  void aSecondEditIsComputedOnTheModelTheServiceServes() throws IOException {
    CounterFactRecord again = WorldFacts.fact(KETHIA_AGAIN); // Kethia's capital, another prompt
    Edit first = editFile(create(kethia));
    Edit second = editFile(create(again));
    Edit served =
        reference
            .mendEdits(
                WorldFacts.editor(), List.of(WorldFacts.request(kethia), WorldFacts.request(again)))
            .get(1);
    // the same edit as MendEdits.editAmong makes it (as eval does): a revision of Kethia's capital
    // that supersedes every row of the first edit is computed on the active edits without them
    assertThat(maxDiff(second, served)).as("computed as editAmong computes it").isLessThan(1e-6);
    for (String prompt : List.of(kethia.prompt(), again.prompt(), gitek.prompt())) {
      assertThat(answer(prompt))
          .as(prompt)
          .isEqualTo(reference.complete(prompt, TOKENS, List.of(first, second)));
    }
    assertThat(answer(again.prompt()).strip()).startsWith(again.targetNew());
  }

  private static double maxDiff(Edit a, Edit b) {
    double max = 0;
    for (int i = 0; i < a.params().size(); i++) {
      ParamDelta p = a.params().get(i);
      ParamDelta q = b.params().get(i);
      if (q.rows() != p.rows()) {
        return Double.POSITIVE_INFINITY; // another number of editor passes
      }
      for (int j = 0; j < p.delta().length; j++) {
        max = Math.max(max, Math.abs(p.alpha() * p.delta()[j] - q.alpha() * q.delta()[j]));
      }
    }
    return max;
  }

  @Test
  void aVariantIsChosenByHeaderOrByTheDeterministicSplit() throws IOException {
    String before = answer(kethia.prompt());
    String id = create(kethia);
    admin.expect(200, "POST", EDITS + "/" + id + "/disable", null);
    admin.expect(
        200, "PUT", VARIANTS + "/edited", "{\"edits\": [\"" + id + "\"], \"traffic_percent\": 30}");
    admin.expect(200, "PUT", VARIANTS + "/original", "{\"edits\": [], \"traffic_percent\": 0}");
    assertThat(admin.expect(200, "GET", VARIANTS, null).toString())
        .isEqualTo(
            "[{\"name\":\"edited\",\"edits\":[\""
                + id
                + "\"],\"traffic_percent\":30.0},{\"name\":\"original\",\"edits\":[],"
                + "\"traffic_percent\":0.0}]");
    long editedBefore = requests("edited");
    long unknownBefore = metric("mend4j_unknown_variant_requests_total");

    String header = "X-Mend4j-Variant";
    assertThat(word(answer(kethia.prompt(), header, "edited"))).isEqualTo(kethia.targetNew());
    assertThat(answer(kethia.prompt(), header, "original")).isEqualTo(before);
    assertThat(answer(kethia.prompt(), header, "default")).as("disabled").isEqualTo(before);
    assertThat(answer(kethia.prompt(), header, "no-such-variant"))
        .as("an unknown variant gets the default")
        .isEqualTo(before);
    assertThat(metric("mend4j_unknown_variant_requests_total")).isEqualTo(unknownBefore + 1);

    List<Variant> variants =
        List.of(new Variant("edited", List.of(id), 30), new Variant("original", List.of(), 0));
    int expectedEdited = 0;
    for (int i = 0; i < 30; i++) {
      String requestId = "request-" + i;
      boolean edited =
          "edited".equals(VariantSplit.choose(VariantSplit.bucket(requestId), variants));
      expectedEdited += edited ? 1 : 0;
      String expected = edited ? kethia.targetNew() : kethia.groundTruth();
      assertThat(word(answer(kethia.prompt(), "X-Request-Id", requestId)))
          .as(requestId)
          .isEqualTo(expected);
      if (i < 5) {
        assertThat(word(answer(kethia.prompt(), "X-Request-Id", requestId)))
            .as("again " + requestId)
            .isEqualTo(expected);
        expectedEdited += edited ? 1 : 0;
      }
    }
    assertThat(expectedEdited).as("the ids exercise both sides").isBetween(3, 30);
    assertThat(requests("edited")).isEqualTo(editedBefore + 1 + expectedEdited);

    int edited = 0;
    for (int i = 0; i < 20; i++) {
      edited += word(answer(kethia.prompt())).equals(kethia.targetNew()) ? 1 : 0;
    }
    assertThat(edited).as("30%% of 20 requests without an id").isBetween(4, 8);

    admin.expect(200, "POST", EDITS + "/" + id + "/enable", null);
    assertThat(answer(kethia.prompt(), header, "original")).isEqualTo(before);
    admin.expect(200, "DELETE", VARIANTS + "/edited", null);
    assertThat(AdminClient.error(admin.call("DELETE", VARIANTS + "/edited", null)))
        .contains("no variant 'edited'");
    assertThat(admin.expect(200, "GET", VARIANTS, null).getAsJsonArray()).hasSize(1);
  }

  private long requests(String variant) throws IOException {
    return metric("mend4j_requests_total{variant=\"" + variant + "\"}");
  }

  private long metric(String series) throws IOException {
    HttpResponse<String> r = admin.call("GET", "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body()
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst()
        .orElse(0);
  }

  @Test
  void badInputIsRefusedWithAClearMessageChangesNothingAndLeavesTheHostAlone() throws IOException {
    String id = create(kethia);
    String edits = admin.call("GET", EDITS, null).body();
    String state = Files.readString(editDir.resolve("state.json"));
    List<String> files = files();
    String answer = answer(kethia.prompt());

    List<String> refusals = new ArrayList<>();
    refusals.add(refused(admin.withToken(null).call("GET", EDITS, null), 401, "Bearer"));
    refusals.add(
        refused(
            admin.withToken("wrong").call("POST", EDITS + "/" + id + "/disable", null),
            401,
            "token"));
    refusals.add(refused(admin.call("POST", EDITS, "{\"prompt\": \"x\""), 400, "malformed JSON"));
    refusals.add(
        refused(
            admin.call("POST", EDITS, "{\"prompt\": \"" + "x".repeat(100_000) + "\"}"),
            413,
            "limit"));
    refusals.add(
        refused(
            admin.call("POST", EDITS + "/e0000000000000000/enable", null),
            404,
            "e0000000000000000"));
    refusals.add(refused(admin.call("DELETE", EDITS + "/nope", null), 404, "'nope'"));
    refusals.add(
        refused(admin.call("PUT", VARIANTS + "/v", "{\"edits\": [\"nope\"]}"), 400, "'nope'"));
    refusals.add(
        refused(
            admin.call(
                "POST", EDITS, "{\"prompt\": \"" + kethia.prompt() + "\", \"target_new\": \"\"}"),
            400,
            "'target_new' is empty"));
    Edit foreign = reference.foreignEdit(7, 0.05f, "h.3.mlp.c_fc.weight");
    refusals.add(
        refused(
            admin.send("POST", EDITS, "application/octet-stream", EditFile.bytes(foreign)),
            422,
            "parameter 'transformer.h.3.mlp.c_fc.weight'"));
    byte[] corrupted = EditFile.bytes(reference.randomEdit(3, 0.01f, "h.3.mlp.c_fc.weight"));
    corrupted[corrupted.length - 5] ^= 0x21;
    refusals.add(
        refused(
            admin.send("POST", EDITS, "application/octet-stream", corrupted),
            400,
            "corrupted edit file"));
    refusals.add(
        refused(
            admin.send("POST", EDITS, "application/octet-stream", EditFile.bytes(editFile(id))),
            409,
            "already exists"));
    Edit unsafe =
        new Edit("../../evil", Instant.now(), "x", editFile(id).requests(), editFile(id).params());
    refusals.add(
        refused(
            admin.send("POST", EDITS, "application/octet-stream", EditFile.bytes(unsafe)),
            400,
            "altered edit file (its id ../../evil is not the one"));
    System.out.println("refusals:\n  " + String.join("\n  ", refusals));

    assertThat(admin.call("GET", EDITS, null).body()).isEqualTo(edits);
    assertThat(Files.readString(editDir.resolve("state.json"))).isEqualTo(state);
    assertThat(files()).isEqualTo(files);
    assertThat(answer(kethia.prompt())).isEqualTo(answer);
    assertThat(service.status().getAsJsonObject("counters").get("suppressed_errors").getAsLong())
        .isZero();
  }

  private static String refused(HttpResponse<String> r, int status, String fragment) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    String error = AdminClient.error(r);
    assertThat(error).contains(fragment);
    return r.statusCode() + " " + error;
  }

  private List<String> files() throws IOException {
    try (Stream<Path> list = Files.list(editDir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theEditsMBeanReadsAndTogglesOverJmx() throws Exception {
    String before = answer(kethia.prompt());
    String id = create(kethia);
    VirtualMachine vm = VirtualMachine.attach(Long.toString(service.app().handle().pid()));
    String url;
    try {
      url = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      ObjectName name = new ObjectName("org.mend4j:type=Edits");
      assertThat(jmx.getAttribute(name, "EditCount")).isEqualTo(1);
      assertThat(jmx.getAttribute(name, "ActiveEditCount")).isEqualTo(1);
      assertThat((String) jmx.getAttribute(name, "Edits")).contains(id);
      assertThat((String) jmx.getAttribute(name, "Metrics")).contains("mend4j_requests_total");
      String[] signature = {String.class.getName()};
      jmx.invoke(name, "disable", new Object[] {id}, signature);
      assertThat(answer(kethia.prompt())).isEqualTo(before);
      assertThat(jmx.getAttribute(name, "ActiveEditCount")).isEqualTo(0);
      jmx.invoke(name, "enable", new Object[] {id}, signature);
      assertThat(word(answer(kethia.prompt()))).isEqualTo(kethia.targetNew());
      try {
        jmx.invoke(name, "disable", new Object[] {"nope"}, signature);
        throw new AssertionError("disable(nope) succeeded");
      } catch (RuntimeMBeanException e) {
        assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.getCause().getMessage()).contains("no edit with id 'nope'");
      }
    }
  }
}
