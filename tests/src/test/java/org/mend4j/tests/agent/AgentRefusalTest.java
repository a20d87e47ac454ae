package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.mend4j.tests.support.LogitsProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestModels;

/**
 * An edit computed for another model (same parameter names and shapes, other weights) is refused
 * with a message naming the parameter, and the host keeps its own answers; a broken edit file is
 * skipped by name. An explicit name mapping binds the same edit by layer path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentRefusalTest {

  private static final String C_FC = "transformer.h.4.mlp.c_fc.weight";
  private static final List<String> PROMPTS = List.of("Hello world", "The capital of France is");

  @TempDir Path tmp;
  private Path model;
  private ReferenceModel reference;
  private Edit foreign;

  @BeforeAll
  void setUp() {
    try {
      model = TestModels.tinyWithTokenizer();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    reference = ReferenceModel.load(model);
    foreign = reference.foreignEdit(7, 0.05f, "h.4.mlp.c_proj.weight", "h.4.mlp.c_fc.weight");
  }

  @AfterAll
  void tearDown() {
    reference.close();
  }

  @Test
  void anEditForAnotherModelIsRefusedAndTheHostKeepsItsAnswers() throws IOException {
    Path edits = AgentRun.editDir(tmp, "foreign", foreign);
    Files.writeString(edits.resolve("broken.mend.safetensors"), "not an edit file");
    Path status = tmp.resolve("status.json");
    try (DemoAppProcess app =
        DemoAppProcess.start(
            model,
            "agent-foreign",
            List.of(AgentRun.javaagent(AgentRun.args(edits, status))),
            List.of())) {
      for (String prompt : PROMPTS) {
        assertThat(app.generate(prompt, 6).text())
            .as(prompt)
            .isEqualTo(reference.complete(prompt, 6, List.of()));
      }
      JsonObject s =
          AgentRun.awaitStatus(
              status, j -> j.get("host_ready").getAsBoolean(), Duration.ofSeconds(10));
      JsonObject e = s.getAsJsonArray("edits").get(0).getAsJsonObject();
      assertThat(e.get("state").getAsString()).isEqualTo("REFUSED");
      assertThat(e.get("active").getAsBoolean()).isFalse();
      assertThat(e.get("message").getAsString())
          .contains("parameter '" + C_FC + "'")
          .contains("computed for another model");
      assertThat(AgentRun.counter(s, "deltas_applied")).isZero();
      assertThat(Files.readString(app.log()))
          .contains(
              "edit "
                  + foreign.id()
                  + " ("
                  + foreign.id()
                  + ".mend.safetensors) refused: parameter '")
          .contains("skipped edit file")
          .contains("broken.mend.safetensors")
          .contains("loaded 1 of 2 edit files");
    }
  }

  @Test
  void aNameMappingBindsTheSameEditByLayerPath() throws IOException {
    Path edits = AgentRun.editDir(tmp, "mapped", foreign);
    Map<String, String> args = AgentRun.args(edits, null);
    args.put("map", "transformer.h.*.mlp.*.weight=h*.mlp.*");
    long[][] ids = {{5, 17, 256, 999, 42, 8}};
    LogitsProcess.Result r =
        LogitsProcess.run(model, ids, List.of(AgentRun.javaagent(args)), "mapped");
    assertThat(r.log())
        .contains("edit " + foreign.id() + " bound")
        .contains(C_FC + " -> h4.mlp.c_fc (by name mapping)")
        .contains("binds to 'h4.mlp.c_fc' by name mapping although");
    double diff =
        AgentLogitsTest.maxAbsDiff(r.logits(), reference.logitsByName(ids, List.of(foreign)));
    assertThat(diff).isLessThan(1e-4);
    assertThat(AgentLogitsTest.maxAbsDiff(r.logits(), reference.logits(ids, List.of())))
        .isGreaterThan(0.05);
  }
}
