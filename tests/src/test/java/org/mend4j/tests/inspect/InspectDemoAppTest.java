package org.mend4j.tests.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.MendCli;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestPaths;
import org.mend4j.tests.support.WorldFacts;

/**
 * {@code ./mend4j inspect} on demo-app's runnable jar finds both classes that build its projections
 * (the MLP's {@code c_fc}, {@code c_proj} and the attention's fused {@code c_attn}, {@code c_proj},
 * all DJL {@code Linear}), the model block that owns the embeddings but is no projection, and the
 * HTTP handlers; the agent arguments it prints, given to the real agent jar exactly as printed,
 * make an edit take effect in demo-app, serving the world model built from DJL blocks and serving
 * its TorchScript trace (whose loading site inspect reports too).
 */
class InspectDemoAppTest {

  @TempDir Path tmp;

  @Test
  void itsSuggestedAgentArgumentsMakeAnEditTakeEffect() throws Exception {
    Path edits = Files.createDirectories(tmp.resolve("edits"));
    String report =
        MendCli.run("inspect", TestPaths.demoAppJar().toString(), "--edits", edits.toString());
    System.out.print(report);

    assertThat(report)
        .contains(
            "org.mend4j.demoapp.model.Mlp: builds and runs ai.djl.nn.core.Linear"
                + " (child blocks c_fc, c_proj)")
        .contains(
            "org.mend4j.demoapp.model.CausalSelfAttention: builds and runs"
                + " ai.djl.nn.core.Linear (child blocks c_attn, c_proj)")
        .contains("fused: forwardInternal splits a Linear's output into 3")
        .contains("org.mend4j.demoapp.model.Gpt2Model: owns weight parameters wte, wpe, lm_head")
        .contains("org.mend4j.demoapp.http.GenerateHandler: com.sun.net.httpserver.HttpHandler")
        .contains("org.mend4j.demoapp.http.HealthHandler: com.sun.net.httpserver.HttpHandler")
        .contains(
            "org.mend4j.demoapp.generation.TorchScriptGenerator: loads a TorchScript model:"
                + " Model.newInstance, Model.load, engine \"PyTorch\"")
        .contains("changes them in place (torchscript=true, the default)");
    String arguments = MendCli.agentArguments(report);

    CounterFactRecord fact = WorldFacts.fact(WorldFacts.KETHIA);
    try (ReferenceModel reference = ReferenceModel.load(WorldFacts.model())) {
      Edit edit = reference.mendEdit(WorldFacts.editor(), WorldFacts.request(fact));
      EditFile.write(edit, edits.resolve(edit.id() + EditFile.SUFFIX));
    }
    String agent = "-javaagent:" + TestPaths.agentJar() + "=" + arguments;
    // The same jar serves the block model and the TorchScript trace: the printed arguments make
    // the edit take effect on both.
    for (Path served : List.of(WorldFacts.model(), WorldFacts.tracedModel())) {
      String name = served.getFileName().toString();
      String without = answer(served, List.of(), "inspect-no-agent-" + name, fact.prompt());
      String with = answer(served, List.of(agent), "inspect-agent-" + name, fact.prompt());
      System.out.printf(
          "%s, %s%n  without agent: %s%n  %s: %s%n", name, fact.prompt(), without, agent, with);
      assertThat(without.trim()).doesNotStartWith(fact.targetNew());
      assertThat(with.trim()).as(name).startsWith(fact.targetNew());
    }
  }

  private static String answer(Path served, List<String> jvmArgs, String name, String prompt)
      throws IOException {
    try (DemoAppProcess app = DemoAppProcess.start(served, name, jvmArgs, List.of())) {
      return app.generate(prompt, 4).text();
    }
  }
}
