package org.mend4j.tests.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mend4j.runtime.cli.Main;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.runtime.service.ServiceClient;
import org.mend4j.runtime.service.ServiceProcess;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.Launches;
import org.mend4j.tests.support.TestPaths;
import org.mend4j.tests.support.WorldFacts;
import picocli.CommandLine;

/**
 * {@code mend4j attach PID ...} into a service started without the agent (demo-app, and the Spring
 * Boot host, whose DJL the agent meets in Spring Boot's launcher class loader): the admin API comes
 * up, an edit made through it binds to the layers the host built before the agent arrived and
 * changes the answers, the variant header works on the (retransformed) handler, and disabling
 * restores the original answer.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class ControlAttachTest {

  private static final int TOKENS = 3;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"demo-app", "spring-app"})
  void afterAttachTheAdminApiWorksAsIfTheAgentHadBeenThereFromTheStart(String host)
      throws IOException {
    CounterFactRecord kethia = WorldFacts.fact(WorldFacts.KETHIA);
    boolean spring = host.equals("spring-app");
    try (ServiceProcess service =
        ServiceProcess.start(
            spring ? Launches.springApp() : Launches.demoApp(),
            WorldFacts.model(),
            TestPaths.target(),
            "attach",
            List.of(),
            spring ? List.of() : List.of("--threads", "2"))) {
      ServiceClient app = service.client();
      String before = app.generate(kethia.prompt(), TOKENS).text();
      int port = ServiceProcess.freePort();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream stdout = System.out;
      int status;
      try {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        status =
            cli.execute(
                "attach",
                Long.toString(service.handle().pid()),
                "--agent-jar",
                TestPaths.agentJar().toString(),
                "admin.port="
                    + port
                    + ",admin.token="
                    + ControlledService.TOKEN
                    + ",variants.header=true,mkl.cpu.dispatch=true",
                "model=" + WorldFacts.model(),
                "editor=" + WorldFacts.editor());
      } finally {
        System.setOut(stdout);
      }
      String said = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
      assertThat(status).as(said).isZero();
      assertThat(said).contains("mend4j agent loaded into JVM").contains("admin.token=***");
      AdminClient admin = new AdminClient(port, ControlledService.TOKEN);
      admin.awaitReady(Duration.ofSeconds(30));

      assertThat(app.generate(kethia.prompt(), TOKENS).text())
          .as("attached, no edit: the host's own answer")
          .isEqualTo(before);
      JsonObject created =
          admin.expect(201, "POST", "/mend4j/v1/edits", WorldFacts.json(kethia)).getAsJsonObject();
      assertThat(created.get("state").getAsString())
          .as("bound to layers built before the agent arrived")
          .isEqualTo("BOUND");
      String id = created.get("id").getAsString();
      assertThat(app.generate(kethia.prompt(), TOKENS).text().trim())
          .startsWith(kethia.targetNew());
      assertThat(app.generate(kethia.rephrasePrompt(), TOKENS).text().trim())
          .startsWith(kethia.targetNew());

      Map<String, String> original = admin.putOriginalVariant();
      assertThat(app.generate(kethia.prompt(), TOKENS, original).text())
          .as("the handler loaded before the agent was retransformed")
          .isEqualTo(before);
      admin.expect(200, "POST", "/mend4j/v1/edits/" + id + "/disable", null);
      assertThat(app.generate(kethia.prompt(), TOKENS).text()).isEqualTo(before);

      String log = Files.readString(service.log());
      assertThat(log)
          .contains("agent active (attached)")
          .contains("instrumented ai.djl.nn.core.Linear (retransformed)")
          .contains(
              spring
                  ? "instrumented jakarta.servlet.http.HttpServlet (retransformed)"
                  : "instrumented org.mend4j.demoapp.http.GenerateHandler (retransformed)")
          .contains("edit " + id + " bound")
          .contains("mkl.cpu.dispatch=true ignored: it applies from -javaagent");
      assertThat(
              admin
                  .expect(200, "GET", "/mend4j/v1/status", null)
                  .getAsJsonObject()
                  .getAsJsonObject("mkl_cpu_dispatch")
                  .get("loaded")
                  .getAsBoolean())
          .as("attached: the host's oneMKL has run already and is left alone")
          .isFalse();
      assertThat(admin.withToken(null).call("GET", "/mend4j/v1/status", null).statusCode())
          .isEqualTo(401);
    }
  }
}
