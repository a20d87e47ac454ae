package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
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
import org.mend4j.runtime.engine.MklCpuDispatch;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.LogitsProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestModels;

/**
 * Logits of demo-app's model classes in a forked host ({@code LogitsHost}): exactly the same bits
 * with the agent and no active edit as without the agent, and with edits the same as {@code
 * FunctionalGpt2} with those edits (within 1e-4), whether the hook merges them into the layers'
 * weights or adds them factored.
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

  /**
   * Both ways the hook applies edits: merged into the layer's weight (the default on this small
   * model, every weight under {@code merge.max.floats}) and factored ({@code merge.max.floats=0});
   * the status file tells which ran.
   */
  @Test
  void withEditsTheHostsLogitsEqualTheFunctionalModels() throws IOException {
    List<Edit> edits =
        List.of(
            reference.mendEdit("The capital of France is", "Rome", -5e-4),
            reference.randomEdit(2, 0.05f, "h.0.attn.c_attn.weight", "h.1.attn.c_proj.weight"),
            reference.randomEdit(3, 0.02f, "h.4.mlp.c_fc.weight"));
    Path dir = AgentRun.editDir(tmp, "edits", edits.toArray(Edit[]::new));
    float[] expected = reference.logits(IDS, edits);
    assertThat(maxAbsDiff(withoutAgent, reference.logits(IDS, List.of()))).isLessThan(1e-4);
    float[][] got = new float[2][];
    for (boolean merged : new boolean[] {true, false}) {
      String name = merged ? "edited-merged" : "edited-factored";
      Path status = tmp.resolve(name + ".json");
      Map<String, String> args = AgentRun.args(dir, status);
      // no periodic write after the one at start: the counters below come from the write at exit
      args.put("status.interval.ms", "3600000");
      if (!merged) {
        args.put("merge.max.floats", "0");
      }
      LogitsProcess.Result r =
          LogitsProcess.run(model, IDS, List.of(AgentRun.javaagent(args)), name);
      assertThat(r.logits()).hasSameSizeAs(expected);
      assertThat(maxAbsDiff(r.logits(), expected)).as(name).isLessThan(1e-4);
      assertThat(maxAbsDiff(r.logits(), withoutAgent)).as("the edits matter").isGreaterThan(0.05);
      JsonObject s =
          AgentRun.awaitStatus(
              status, j -> AgentRun.counter(j, "edited_calls") > 0, Duration.ofSeconds(5));
      // one forward pass: one call per edited weight; the edits bind in the exit hook of the
      // model's first layer call (h.0.attn.c_attn, edited), so that call alone is factored
      long weights =
          edits.stream().flatMap(e -> e.params().stream()).map(p -> p.name()).distinct().count();
      long mergedCalls = AgentRun.counter(s, "merged_calls");
      assertThat(AgentRun.counter(s, "edited_calls")).as(name).isEqualTo(weights);
      assertThat(mergedCalls).as(name + ": merged calls").isEqualTo(merged ? weights - 1 : 0);
      assertThat(AgentRun.counter(s, "suppressed_errors")).isZero();
      assertThat(mklDispatch(s).get("loaded").getAsBoolean())
          .as("by default the host's oneMKL is left alone")
          .isFalse();
      got[merged ? 0 : 1] = r.logits();
    }
    assertThat(maxAbsDiff(got[0], got[1])).as("merged vs factored").isLessThan(1e-4);
  }

  /**
   * {@code mkl.cpu.dispatch=true}: the host's oneMKL dispatches on the CPU's features where the
   * policy says it should (here, off an Intel CPU: oneMKL asked the agent's answer), and the edited
   * host still computes the functional model's logits.
   */
  @Test
  void withMklCpuDispatchTheHostStillComputesTheFunctionalModel() throws IOException {
    Edit edit = reference.randomEdit(4, 0.05f, "h.2.mlp.c_proj.weight");
    Path dir = AgentRun.editDir(tmp, "dispatch", edit);
    Path status = tmp.resolve("dispatch.json");
    Map<String, String> args = AgentRun.args(dir, status);
    args.put("status.interval.ms", "3600000");
    args.put("mkl.cpu.dispatch", "true");
    LogitsProcess.Result r =
        LogitsProcess.run(model, IDS, List.of(AgentRun.javaagent(args)), "mkl-dispatch");
    assertThat(maxAbsDiff(r.logits(), reference.logits(IDS, List.of(edit)))).isLessThan(1e-4);
    JsonObject s =
        AgentRun.awaitStatus(
            status, j -> AgentRun.counter(j, "edited_calls") > 0, Duration.ofSeconds(5));
    boolean expected = MklCpuDispatch.reasonToSkip().isEmpty();
    assertThat(mklDispatch(s).get("loaded").getAsBoolean()).isEqualTo(expected);
    if (expected) {
      assertThat(mklDispatch(s).get("answered").getAsInt()).isPositive();
      assertThat(r.log()).contains("mkl.cpu.dispatch: libtorch's oneMKL dispatches");
    }
  }

  private static JsonObject mklDispatch(JsonObject status) {
    return status.getAsJsonObject("mkl_cpu_dispatch");
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
