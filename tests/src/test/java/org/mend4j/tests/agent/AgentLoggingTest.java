package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestModels;

/**
 * {@code log=slf4j}: the agent's lines reach demo-app's own SLF4J backend (slf4j-simple, in
 * demo-app's jar) under the logger {@code org.mend4j.agent} once the agent meets the host's DJL,
 * and a value it does not know is named in a warning.
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
}
