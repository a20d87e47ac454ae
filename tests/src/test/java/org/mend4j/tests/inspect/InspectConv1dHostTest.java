package org.mend4j.tests.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.edit.KeyValues;
import org.mend4j.runtime.edit.ParamDelta;
import org.mend4j.runtime.gpt2.FactoredDelta;
import org.mend4j.tests.inspect.host.Conv1D;
import org.mend4j.tests.inspect.host.Conv1dHost;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.MendCli;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestPaths;
import org.mend4j.tests.support.WorldFacts;

/**
 * A host whose projections are a block of its own in HF's layout ({@link Conv1D}), which the agent
 * reaches only through {@code layers=}: {@code ./mend4j inspect} on its class directory names it
 * with its weight and layout, and the agent arguments it prints, used as printed, make the world
 * model's edit change that block's output by exactly the composed edit (at the edit's own keys);
 * without {@code layers=} the output stays the base one.
 */
class InspectConv1dHostTest {

  @TempDir Path tmp;

  @Test
  void itsSuggestedLayersMakeTheAgentEditABlockOfTheHostsOwn() throws Exception {
    Path edits = Files.createDirectories(tmp.resolve("edits"));
    Path classes = TestPaths.testClasses().resolve(Conv1D.class.getPackageName().replace('.', '/'));
    String report = MendCli.run("inspect", classes.toString(), "--edits", edits.toString());
    System.out.print(report);
    String arguments = MendCli.agentArguments(report);
    assertThat(arguments)
        .isEqualTo("edits=" + edits + ",layers=" + Conv1D.class.getName() + ":weight:in_out");

    try (ReferenceModel reference = ReferenceModel.load(WorldFacts.model());
        NDManager scope = NDManager.newBaseManager()) {
      Edit edit =
          reference.mendEdit(
              WorldFacts.editor(), WorldFacts.request(WorldFacts.fact(WorldFacts.KETHIA)));
      EditFile.write(edit, edits.resolve(edit.id() + EditFile.SUFFIX));
      ParamDelta run = edit.params().get(edit.params().size() - 1);
      KeyValues keys = run.keyValues();
      NDArray x = scope.create(keys.keys(), new Shape(keys.rows(), run.in()));
      NDArray base = x.matMul(reference.model().weights().base(run.name()));
      NDArray edited = base;
      for (FactoredDelta d :
          EditedParams.of(reference.model().weights(), List.of(edit), reference::fingerprint, scope)
              .deltas(run.name())) {
        edited = edited.add(d.apply(x));
      }
      List<String> weights = edit.params().stream().map(ParamDelta::name).toList();
      Path input = tmp.resolve("x.f32");
      write(input, keys.keys());

      float[] plain = host(input, run.name(), weights, List.of(), "plain");
      float[] suggested =
          host(
              input,
              run.name(),
              weights,
              List.of("-javaagent:" + TestPaths.agentJar() + "=" + arguments),
              "suggested");
      float[] withoutLayers =
          host(
              input,
              run.name(),
              weights,
              List.of(AgentRun.javaagent(AgentRun.args(edits, null))),
              "without-layers");

      float change = maxDiff(edited.toFloatArray(), base.toFloatArray());
      System.out.printf(
          "%s at the edit's %d keys: the edit changes it by up to %.3g; host without agent %.3g from"
              + " base, agent with the suggested arguments %.3g from the edited, agent without"
              + " layers= %.3g from base%n",
          run.name(),
          keys.rows(),
          change,
          maxDiff(plain, base.toFloatArray()),
          maxDiff(suggested, edited.toFloatArray()),
          maxDiff(withoutLayers, base.toFloatArray()));
      assertThat(change).isGreaterThan(1e-2f);
      assertThat(maxDiff(plain, base.toFloatArray())).isLessThan(1e-4f);
      assertThat(maxDiff(suggested, edited.toFloatArray())).isLessThan(1e-4f);
      assertThat(maxDiff(withoutLayers, base.toFloatArray())).isLessThan(1e-4f);
    }
  }

  private float[] host(
      Path input, String run, List<String> weights, List<String> jvmArgs, String name)
      throws IOException, InterruptedException {
    Path out = tmp.resolve(name + ".f32");
    Path log = tmp.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-cp", TestPaths.testClasses() + java.io.File.pathSeparator + TestPaths.demoAppJar()));
    command.addAll(
        List.of(
            Conv1dHost.class.getName(),
            WorldFacts.model().toString(),
            input.toString(),
            out.toString(),
            run));
    command.addAll(weights);
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    System.out.printf("[%s]%n%s", name, Files.readString(log));
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(values);
    return values;
  }

  private static void write(Path file, float[] values) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    Files.write(file, bytes.array());
  }

  private static float maxDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    float worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
