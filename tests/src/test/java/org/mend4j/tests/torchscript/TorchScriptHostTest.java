package org.mend4j.tests.torchscript;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.CliEdit;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.LogitsProcess;
import org.mend4j.tests.support.WorldFacts;

/**
 * demo-app serving the world GPT-2 as TorchScript, where every layer runs inside libtorch, edited
 * by the agent in place: an edit made by {@code ./mend4j edit} and one made through the admin API
 * each answer their new target and leave an unrelated fact alone; a variant without the edits is
 * served side by side through the variant header (the module's weights take turns); disabling every
 * edit gives back the answers of the host without the agent; and with no edit the host's logits are
 * bit-identical to a run without the agent.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class TorchScriptHostTest {

  private static final int TOKENS = 4;
  private static final long[][] IDS = {{12, 404, 7, 1030, 56, 9}, {3, 3, 900, 14, 2, 501}};

  @TempDir Path tmp;

  @Test
  void cliAndAdminEditsTakeEffectVariantsTakeTurnsAndDisablingRestoresTheHost() throws Exception {
    CounterFactRecord kethia = WorldFacts.fact(WorldFacts.KETHIA);
    CounterFactRecord gitek = WorldFacts.fact(WorldFacts.GITEK);
    List<String> prompts =
        List.of(kethia.prompt(), kethia.rephrasePrompt(), gitek.prompt(), kethia.localityPrompt());
    List<String> plain = new ArrayList<>();
    try (DemoAppProcess app =
        DemoAppProcess.start(WorldFacts.tracedModel(), "torchscript-plain", List.of(), List.of())) {
      for (String p : prompts) {
        plain.add(app.generate(p, TOKENS).text());
      }
    }
    assertThat(plain.get(0).trim()).doesNotStartWith(kethia.targetNew());
    assertThat(plain.get(2).trim()).doesNotStartWith(gitek.targetNew());

    Path edits = Files.createDirectories(tmp.resolve("edits"));
    CliEdit.run(
        WorldFacts.model(), WorldFacts.editor(), kethia, edits.resolve("kethia" + EditFile.SUFFIX));
    try (ControlledService service =
        ControlledService.start("torchscript-agent", WorldFacts.tracedModel(), edits, Map.of())) {
      assertThat(answer(service, kethia.prompt())).startsWith(kethia.targetNew());
      assertThat(answer(service, kethia.localityPrompt())).isEqualTo(plain.get(3).trim());

      String id =
          service
              .admin()
              .expect(201, "POST", "/mend4j/v1/edits", WorldFacts.json(gitek))
              .getAsJsonObject()
              .get("id")
              .getAsString();
      assertThat(answer(service, gitek.prompt())).startsWith(gitek.targetNew());
      assertThat(answer(service, kethia.prompt())).startsWith(kethia.targetNew());
      assertThat(answer(service, kethia.localityPrompt())).isEqualTo(plain.get(3).trim());

      Map<String, String> original = service.admin().putOriginalVariant();
      for (int round = 0; round < 3; round++) {
        assertThat(service.answer(kethia.prompt(), TOKENS, original)).isEqualTo(plain.get(0));
        assertThat(answer(service, kethia.prompt())).startsWith(kethia.targetNew());
      }
      JsonObject modules = service.status().getAsJsonObject("torchscript");
      System.out.println("TorchScript host status: " + modules);
      assertThat(modules.get("modules").getAsInt()).isEqualTo(1);
      assertThat(modules.get("weight_switches").getAsLong()).isGreaterThanOrEqualTo(7);
      assertThat(modules.get("base_copy_floats").getAsLong()).isEqualTo(3 * (192 * 768 * 2));
      assertThat(modules.has("unedited_because")).isFalse();

      for (String editId : editIds(service)) {
        service.admin().expect(200, "POST", "/mend4j/v1/edits/" + editId + "/disable", null);
      }
      assertThat(editIds(service)).contains(id).hasSize(2);
      for (int i = 0; i < prompts.size(); i++) {
        assertThat(service.answer(prompts.get(i), TOKENS, Map.of()))
            .as(prompts.get(i))
            .isEqualTo(plain.get(i));
      }
      assertThat(service.status().getAsJsonObject("counters").get("suppressed_errors").getAsLong())
          .isZero();
    }
  }

  @Test
  void withoutEditsTheTracedHostsLogitsAreBitIdenticalToARunWithoutTheAgent() throws IOException {
    float[] without =
        LogitsProcess.run(WorldFacts.tracedModel(), IDS, List.of(), "torchscript-no-agent")
            .logits();
    LogitsProcess.Result with =
        LogitsProcess.run(
            WorldFacts.tracedModel(),
            IDS,
            List.of(AgentRun.javaagent(AgentRun.args(null, null))),
            "torchscript-agent-no-edits");
    assertThat(with.log()).contains("instrumented ai.djl.pytorch.engine.PtSymbolBlock");
    assertThat(with.log()).contains("TorchScript module met");
    assertThat(without).hasSize(IDS.length * IDS[0].length * 1676);
    int[] a = new int[without.length];
    int[] b = new int[without.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = Float.floatToRawIntBits(without[i]);
      b[i] = Float.floatToRawIntBits(with.logits()[i]);
    }
    assertThat(java.util.Arrays.equals(a, b)).as("bit-identical logits").isTrue();
  }

  private static String answer(ControlledService service, String prompt) throws IOException {
    return service.answer(prompt, TOKENS, Map.of()).trim();
  }

  private static List<String> editIds(ControlledService service) throws IOException {
    List<String> ids = new ArrayList<>();
    service
        .admin()
        .expect(200, "GET", "/mend4j/v1/edits", null)
        .getAsJsonArray()
        .forEach(e -> ids.add(e.getAsJsonObject().get("id").getAsString()));
    return ids;
  }
}
