package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.LogitsProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestModels;

/**
 * Logits of demo-app's model classes in a forked host ({@code LogitsHost}): exactly the same bits
 * with the agent and no active edit as without the agent, and with edits the same as {@code
 * FunctionalGpt2} with those edits (within 1e-4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentLogitsTest {

  private static final long[][] IDS = {
    {5, 17, 256, 999, 42, 8, 300, 12}, {600, 3, 3, 71, 900, 14, 2, 501}
  };

  @TempDir Path tmp;
  private Path model;
  private ReferenceModel reference;
  private float[] withoutAgent;

  @BeforeAll
  void setUp() throws IOException {
    model = TestModels.tinyWithTokenizer();
    reference = ReferenceModel.load(model);
    withoutAgent = LogitsProcess.run(model, IDS, List.of(), "no-agent").logits();
  }

  @AfterAll
  void tearDown() {
    reference.close();
  }

  @Test
  void withoutActiveEditsTheLogitsAreBitIdentical() throws IOException {
    Edit edit = reference.randomEdit(1, 0.05f, "h.4.mlp.c_fc.weight");
    Path edits = AgentRun.editDir(tmp, "disabled", edit);
    Map<String, String> disabled = AgentRun.args(edits, null);
    disabled.put("edits.disabled", edit.id());
    List<Map<String, String>> runs = List.of(Map.of(), disabled);
    for (int i = 0; i < runs.size(); i++) {
      Map<String, String> args = runs.get(i);
      LogitsProcess.Result r =
          LogitsProcess.run(model, IDS, List.of(AgentRun.javaagent(args)), "inactive-" + i);
      assertThat(r.log()).contains("instrumented ai.djl.nn.core.Linear");
      assertThat(bits(r.logits())).as("agent args " + args).isEqualTo(bits(withoutAgent));
    }
  }

  @Test
  void withEditsTheHostsLogitsEqualTheFunctionalModels() throws IOException {
    List<Edit> edits =
        List.of(
            reference.mendEdit("The capital of France is", "Rome", -5e-4),
            reference.randomEdit(2, 0.05f, "h.0.attn.c_attn.weight", "h.1.attn.c_proj.weight"),
            reference.randomEdit(3, 0.02f, "h.4.mlp.c_fc.weight"));
    Path dir = AgentRun.editDir(tmp, "edits", edits.toArray(Edit[]::new));
    LogitsProcess.Result r =
        LogitsProcess.run(
            model, IDS, List.of(AgentRun.javaagent(AgentRun.args(dir, null))), "edited");
    float[] expected = reference.logits(IDS, edits);
    assertThat(r.logits()).hasSameSizeAs(expected);
    assertThat(maxAbsDiff(r.logits(), expected)).isLessThan(1e-4);
    assertThat(maxAbsDiff(r.logits(), withoutAgent)).as("the edits matter").isGreaterThan(0.05);
    assertThat(maxAbsDiff(withoutAgent, reference.logits(IDS, List.of()))).isLessThan(1e-4);
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
