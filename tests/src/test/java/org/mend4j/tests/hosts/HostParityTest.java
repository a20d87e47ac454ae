package org.mend4j.tests.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mend4j.runtime.service.ServiceLaunch;
import org.mend4j.runtime.service.ServiceProcess;
import org.mend4j.tests.support.Launches;
import org.mend4j.tests.support.TestPaths;
import org.mend4j.tests.support.WorldFacts;

/**
 * The Spring Boot host ({@code spring-app/target/mend4j-spring-app.jar}, DJL in {@code
 * BOOT-INF/lib}) and both copies of demo-app in the plugin host (each with DJL in a class loader of
 * its own, one JVM, one libtorch) answer demo-app's API exactly as demo-app does: the same
 * completions to the character and token, the same health answer, the same refusals, on the world
 * GPT-2 built from DJL blocks and on its TorchScript trace.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class HostParityTest {

  static Stream<Arguments> hostsAndModels() {
    return Stream.of(WorldFacts.model(), WorldFacts.tracedModel())
        .flatMap(m -> Stream.of(Arguments.of("spring-app", m), Arguments.of("plugin-host", m)));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("hostsAndModels")
  void everyCopyAnswersEveryRequestAsDemoAppDoes(String host, Path model) throws Exception {
    assumeTrue(Files.isDirectory(model), model + " is not there");
    List<ApiTranscript.Exchange> expected = ApiTranscript.demoApp(model);
    ServiceLaunch launch =
        host.equals("spring-app") ? Launches.springApp() : Launches.pluginHost(2);
    try (ServiceProcess service =
        ServiceProcess.start(
            launch,
            model,
            TestPaths.target(),
            "parity-" + model.getFileName(),
            List.of(),
            List.of())) {
      for (int i = 0; i < service.clients().size(); i++) {
        assertThat(ApiTranscript.of(service.clients().get(i)))
            .as("%s, port %d", host, i + 1)
            .containsExactlyElementsOf(expected);
      }
      assertThat(Files.readString(service.log())).contains(ready(host, service));
    }
  }

  /** What the host says once it serves: the plugin host names the loader of each copy's DJL. */
  private static List<String> ready(String host, ServiceProcess service) {
    if (host.equals("spring-app")) {
      return List.of("Started SpringApp");
    }
    List<String> lines = new ArrayList<>();
    for (int copy = 1; copy <= service.clients().size(); copy++) {
      lines.add(
          String.format(
              "plugin-%d listening on %s, DJL from class loader 'plugin-%d' (parent 'platform')",
              copy, service.clients().get(copy - 1).base(), copy));
    }
    return lines;
  }
}
