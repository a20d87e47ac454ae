package org.mend4j.tests.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mend4j.tests.support.ServiceLaunch;
import org.mend4j.tests.support.ServiceProcess;
import org.mend4j.tests.support.WorldFacts;

/**
 * The Spring Boot host ({@code java -jar spring-app/target/mend4j-spring-app.jar}, DJL in {@code
 * BOOT-INF/lib}) answers demo-app's API exactly as demo-app does: the same completions to the
 * character and token, the same health answer, the same refusals, on the world GPT-2 built from DJL
 * blocks and on its TorchScript trace.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class SpringHostTest {

  static Stream<Path> models() {
    return Stream.of(WorldFacts.model(), WorldFacts.tracedModel());
  }

  @ParameterizedTest
  @MethodSource("models")
  void answersEveryRequestAsDemoAppDoes(Path model) throws Exception {
    assumeTrue(Files.isDirectory(model), model + " is not there");
    List<ApiTranscript.Exchange> expected = ApiTranscript.demoApp(model);
    try (ServiceProcess spring =
        ServiceProcess.start(
            ServiceLaunch.springApp(),
            model,
            "parity-" + model.getFileName(),
            List.of(),
            List.of())) {
      assertThat(ApiTranscript.of(spring.client())).containsExactlyElementsOf(expected);
      assertThat(Files.readString(spring.log())).contains("Started SpringApp");
    }
  }
}
