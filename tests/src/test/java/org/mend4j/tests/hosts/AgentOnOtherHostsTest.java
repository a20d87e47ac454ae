package org.mend4j.tests.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.service.ServiceClient;
import org.mend4j.runtime.service.ServiceLaunch;
import org.mend4j.tests.support.CliEdit;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.Launches;
import org.mend4j.tests.support.WorldFacts;

/**
 * The real agent on hosts that load DJL in a class loader of their own: the Spring Boot executable
 * jar (DJL from {@code BOOT-INF/lib} through Spring Boot's launcher class loader, requests through
 * embedded Tomcat's servlets) and the plugin host (two copies of demo-app and DJL in one JVM, each
 * in a {@code URLClassLoader} under the platform loader). On each, with the agent and no edit every
 * copy answers demo-app's API exactly as demo-app does without it; an edit made by {@code ./mend4j
 * edit} and one made through the admin API take effect on every copy, on the prompt, and leave an
 * unrelated fact alone; the variant header chooses the unedited variant where the host takes its
 * requests; status lists each copy of DJL with the layers the edits change.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class AgentOnOtherHostsTest {

  private static final int TOKENS = 4;

  @TempDir Path tmp;

  static Stream<Arguments> hosts() {
    return Stream.of(
        Arguments.of("spring-app", Launches.springApp(), "LaunchedClassLoader"),
        Arguments.of("plugin-host", Launches.pluginHost(2), "plugin-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void editsTakeEffectOnEveryCopyAndVariantsAreChosenPerRequest(
      String host, ServiceLaunch launch, String loaderName) throws Exception {
    CounterFactRecord kethia = WorldFacts.fact(WorldFacts.KETHIA);
    CounterFactRecord gitek = WorldFacts.fact(WorldFacts.GITEK);
    Path model = WorldFacts.model();
    List<String> prompts = List.of(kethia.prompt(), gitek.prompt(), kethia.localityPrompt());
    List<String> plain =
        org.mend4j.tests.support.DemoAppProcess.answers(
            model, prompts, TOKENS, List.of(), host + "-plain");
    assertThat(plain.get(0).trim()).doesNotStartWith(kethia.targetNew());
    assertThat(plain.get(1).trim()).doesNotStartWith(gitek.targetNew());

    Path edits = Files.createDirectories(tmp.resolve("edits"));
    try (ControlledService service =
        ControlledService.start(launch, List.of(), host + "-agent", model, edits, Map.of())) {
      List<ServiceClient> copies = service.app().clients();
      for (ServiceClient copy : copies) {
        assertThat(ApiTranscript.of(copy))
            .as("%s %s with the agent and no edit", host, copy.base())
            .containsExactlyElementsOf(ApiTranscript.demoApp(model));
      }
    }

    CliEdit.run(model, WorldFacts.editor(), kethia, edits.resolve("kethia" + EditFile.SUFFIX));
    try (ControlledService service =
        ControlledService.start(launch, List.of(), host + "-edits", model, edits, Map.of())) {
      List<ServiceClient> copies = service.app().clients();
      for (ServiceClient copy : copies) {
        assertThat(answer(copy, kethia.prompt(), Map.of())).startsWith(kethia.targetNew());
        assertThat(answer(copy, kethia.localityPrompt(), Map.of())).isEqualTo(plain.get(2).trim());
      }
      service.admin().expect(201, "POST", "/mend4j/v1/edits", WorldFacts.json(gitek));
      Map<String, String> original = service.admin().putOriginalVariant();
      for (ServiceClient copy : copies) {
        assertThat(answer(copy, gitek.prompt(), Map.of())).startsWith(gitek.targetNew());
        assertThat(answer(copy, kethia.prompt(), Map.of())).startsWith(kethia.targetNew());
        assertThat(answer(copy, kethia.localityPrompt(), Map.of())).isEqualTo(plain.get(2).trim());
        assertThat(copy.generate(kethia.prompt(), TOKENS, original).text())
            .as("the variant header, read where %s takes the request", host)
            .isEqualTo(plain.get(0));
        assertThat(copy.generate(gitek.prompt(), TOKENS, original).text()).isEqualTo(plain.get(1));
      }

      JsonObject status = service.status();
      System.out.println(host + " DJL copies: " + status.get("djl_copies"));
      JsonArray djl = status.getAsJsonArray("djl_copies");
      assertThat(djl).hasSize(copies.size());
      for (JsonElement c : djl) {
        JsonObject copy = c.getAsJsonObject();
        assertThat(copy.get("class_loader").getAsString()).contains(loaderName);
        assertThat(copy.get("edited_layers").getAsInt())
            .as("each copy's own layers carry the edits")
            .isPositive();
      }
      assertThat(status.getAsJsonObject("edit_counts").get("bound").getAsInt()).isEqualTo(2);
      assertThat(status.getAsJsonObject("counters").get("suppressed_errors").getAsLong()).isZero();
    }
  }

  private static String answer(ServiceClient copy, String prompt, Map<String, String> headers)
      throws Exception {
    return copy.generate(prompt, TOKENS, headers).text().trim();
  }
}
