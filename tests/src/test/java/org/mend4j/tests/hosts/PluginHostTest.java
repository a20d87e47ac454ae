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
import org.mend4j.tests.support.ServiceClient;
import org.mend4j.tests.support.ServiceLaunch;
import org.mend4j.tests.support.ServiceProcess;
import org.mend4j.tests.support.WorldFacts;

/**
 * The plugin host runs two copies of demo-app, each with DJL in a class loader of its own (parent:
 * the platform loader), in one JVM: both copies answer demo-app's API exactly as demo-app does on
 * the same model, from DJL blocks and from TorchScript, with one libtorch shared by the process.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class PluginHostTest {

  static Stream<Path> models() {
    return Stream.of(WorldFacts.model(), WorldFacts.tracedModel());
  }

  @ParameterizedTest
  @MethodSource("models")
  void bothCopiesAnswerEveryRequestAsDemoAppDoes(Path model) throws Exception {
    assumeTrue(Files.isDirectory(model), model + " is not there");
    List<ApiTranscript.Exchange> expected = ApiTranscript.demoApp(model);
    try (ServiceProcess host =
        ServiceProcess.start(
            ServiceLaunch.pluginHost(2),
            model,
            "parity-" + model.getFileName(),
            List.of(),
            List.of("--threads=2"))) {
      String log = Files.readString(host.log());
      for (int copy = 1; copy <= 2; copy++) {
        ServiceClient client = host.clients().get(copy - 1);
        assertThat(log)
            .contains(
                String.format(
                    "plugin-%d listening on %s, DJL from class loader 'plugin-%d' (parent"
                        + " 'platform')",
                    copy, client.base(), copy));
        assertThat(ApiTranscript.of(client))
            .as("copy %d", copy)
            .containsExactlyElementsOf(expected);
      }
    }
  }
}
