package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestModels;

/**
 * demo-app, unchanged, with the real shaded agent: its answers follow a MEND edit given as an edit
 * file, match the functional model with that edit, and are exactly its own answers when the agent
 * has no active edit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentDemoAppTest {

  private static final String EDIT_PROMPT = "The capital of France is";
  private static final List<String> PROMPTS =
      List.of(EDIT_PROMPT, "Hello world", "Numbers like 42 and 1000", "She said it's the best");
  private static final int NEW_TOKENS = 6;

  @TempDir Path tmp;
  private Path model;
  private ReferenceModel reference;
  private Edit edit;
  private Map<String, String> withoutAgent;

  @BeforeAll
  void setUp() throws IOException {
    model = TestModels.tinyWithTokenizer();
    reference = ReferenceModel.load(model);
    // An untrained editor's step: on this random model it makes the prompt say "Rome".
    edit = reference.mendEdit(EDIT_PROMPT, "Rome", -5e-4);
    try (DemoAppProcess app = DemoAppProcess.start(model, "no-agent", List.of(), List.of())) {
      withoutAgent = answers(app);
    }
  }

  @AfterAll
  void tearDown() {
    reference.close();
  }

  private static Map<String, String> answers(DemoAppProcess app) throws IOException {
    Map<String, String> answers = new LinkedHashMap<>();
    for (String prompt : PROMPTS) {
      answers.put(prompt, app.generate(prompt, NEW_TOKENS).text());
    }
    return answers;
  }

  @Test
  void withoutTheAgentDemoAppGivesTheModelsOwnAnswers() {
    for (String prompt : PROMPTS) {
      assertThat(withoutAgent.get(prompt))
          .as(prompt)
          .isEqualTo(reference.complete(prompt, NEW_TOKENS, List.of()));
    }
  }

  @Test
  void withTheEditTheAnswersFollowTheEditedModel() throws IOException {
    Path edits = AgentRun.editDir(tmp, "edits", edit);
    Path status = tmp.resolve("status.json");
    Map<String, String> answers;
    try (DemoAppProcess app =
        DemoAppProcess.start(
            model,
            "agent-edit",
            List.of(AgentRun.javaagent(AgentRun.args(edits, status))),
            List.of())) {
      answers = answers(app);
      JsonObject s =
          AgentRun.awaitStatus(
              status, j -> AgentRun.counter(j, "deltas_applied") > 0, Duration.ofSeconds(10));
      JsonObject e = s.getAsJsonArray("edits").get(0).getAsJsonObject();
      assertThat(e.get("id").getAsString()).isEqualTo(edit.id());
      assertThat(e.get("state").getAsString()).isEqualTo("BOUND");
      assertThat(e.get("active").getAsBoolean()).isTrue();
      assertThat(e.getAsJsonArray("targets").toString())
          .contains("h4.mlp.c_proj", "h4.mlp.c_fc", "h2.mlp.c_fc");
      assertThat(AgentRun.counter(s, "suppressed_errors")).isZero();
      assertThat(Files.readString(app.log())).contains("edit " + edit.id() + " bound");
    }
    assertThat(answers.get(EDIT_PROMPT))
        .startsWith(" Rome")
        .isNotEqualTo(withoutAgent.get(EDIT_PROMPT));
    for (String prompt : PROMPTS) {
      assertThat(answers.get(prompt))
          .as(prompt)
          .isEqualTo(reference.complete(prompt, NEW_TOKENS, List.of(edit)));
    }
  }

  @Test
  void aDisabledEditOrNoEditLeavesEveryAnswerAsWithoutTheAgent() throws IOException {
    Path edits = AgentRun.editDir(tmp, "disabled", edit);
    Map<String, String> args = AgentRun.args(edits, tmp.resolve("disabled.json"));
    args.put("edits.disabled", edit.id());
    try (DemoAppProcess app =
        DemoAppProcess.start(
            model, "agent-disabled", List.of(AgentRun.javaagent(args)), List.of())) {
      assertThat(answers(app)).isEqualTo(withoutAgent);
      JsonObject s =
          AgentRun.awaitStatus(
              tmp.resolve("disabled.json"),
              j -> j.get("host_ready").getAsBoolean(),
              Duration.ofSeconds(10));
      JsonObject e = s.getAsJsonArray("edits").get(0).getAsJsonObject();
      assertThat(e.get("enabled").getAsBoolean()).isFalse();
      assertThat(e.get("state").getAsString()).as("bound, just not enabled").isEqualTo("BOUND");
      assertThat(AgentRun.counter(s, "deltas_applied")).isZero();
    }
    Path empty = AgentRun.editDir(tmp, "empty");
    try (DemoAppProcess app =
        DemoAppProcess.start(
            model,
            "agent-no-edits",
            List.of(AgentRun.javaagent(AgentRun.args(empty, null))),
            List.of())) {
      assertThat(answers(app)).isEqualTo(withoutAgent);
      assertThat(Files.readString(app.log()))
          .contains("instrumented ai.djl.nn.core.Linear")
          .contains("loaded 0 of 0 edit files");
    }
  }
}
