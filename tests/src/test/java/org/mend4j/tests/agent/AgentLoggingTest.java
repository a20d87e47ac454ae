package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.runtime.service.ServiceProcess;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestModels;
import org.mend4j.tests.support.TestPaths;

/**
 * {@code log=slf4j}: the agent's lines reach demo-app's own SLF4J backend (slf4j-simple, in
 * demo-app's jar) under the logger {@code org.mend4j.agent} once the agent meets the host's DJL,
 * and a value it does not know is named in a warning. What the bundled runtime logs joins the
 * agent's log.
 */
class AgentLoggingTest {

  @TempDir Path tmp;

  @Test
  void withLogSlf4jTheAgentLogsThroughTheHostsSlf4jOnceItMeetsDjl() throws IOException {
    Path model = TestModels.tinyWithTokenizer();
    Edit edit;
    try (ReferenceModel reference = ReferenceModel.load(model)) {
      edit = reference.randomEdit(7L, 1e-7f, "transformer.h.1.mlp.c_fc.weight");
    }
    Map<String, String> args = AgentRun.args(AgentRun.editDir(tmp, "edits", edit), null);
    args.put("log", "slf4j");
    try (DemoAppProcess app =
        DemoAppProcess.start(model, "log-slf4j", List.of(AgentRun.javaagent(args)), List.of())) {
      app.generate("Hello world", 2);
      String log = Files.readString(app.log());
      assertThat(log)
          .as("before DJL is met: standard error")
          .contains("[mend4j] agent active")
          .contains("[mend4j] logging through the host's SLF4J, logger org.mend4j.agent");
      assertThat(log)
          .as("after: slf4j-simple's format, with the agent's logger")
          .containsPattern("INFO org\\.mend4j\\.agent - DJL met in ")
          .containsPattern("INFO org\\.mend4j\\.agent - edit " + edit.id() + " bound")
          .doesNotContain("[mend4j] DJL met in");
    }
  }

  @Test
  void anUnknownLogValueIsNamedAndTheAgentLogsOnStandardError() throws IOException {
    Map<String, String> args = AgentRun.args(null, null);
    args.put("log", "syslog");
    try (DemoAppProcess app =
        DemoAppProcess.start(
            TestModels.tinyWithTokenizer(),
            "log-unknown",
            List.of(AgentRun.javaagent(args)),
            List.of())) {
      app.generate("Hello world", 2);
      String log = Files.readString(app.log());
      assertThat(log)
          .contains("[mend4j] WARN log=syslog is not one of stderr, slf4j; using stderr")
          .contains("[mend4j] DJL met in ")
          .doesNotContain("INFO org.mend4j.agent -");
    }
  }

  @Test
  void whatTheBundledRuntimeLogsJoinsTheAgentsLog() throws IOException {
    int port = ServiceProcess.freePort();
    Map<String, String> args = AgentRun.args(null, null);
    args.put("admin.port", Integer.toString(port));
    args.put("admin.token", "runtime-log-token");
    args.put("control.start.delay.ms", "0");
    // the reference checkpoint has no tokenizer files: the runtime says so when it reads it
    args.put("model", TestPaths.referenceModel().toString());
    try (DemoAppProcess app =
        DemoAppProcess.start(
            TestModels.tinyWithTokenizer(),
            "log-runtime",
            List.of(AgentRun.javaagent(args)),
            List.of())) {
      app.generate("Hello world", 2);
      AdminClient admin = new AdminClient(port, "runtime-log-token");
      admin.awaitReady(Duration.ofSeconds(30));
      HttpResponse<String> tried =
          admin.call("POST", "/mend4j/v1/try", "{\"prompt\": \"Hello\", \"max_new_tokens\": 1}");
      // r50k_base's ids go beyond the reference model's 1000: the request is refused, said why
      assertThat(tried.statusCode()).as(tried.body()).isEqualTo(400);
      assertThat(AdminClient.error(tried)).contains("beyond the model's vocabulary of 1000");
      assertThat(Files.readString(app.log()))
          .contains(
              "[mend4j] "
                  + TestPaths.referenceModel()
                  + " has no tokenizer files: reading it with GPT-2's own r50k_base vocabulary");
    }
  }
}
