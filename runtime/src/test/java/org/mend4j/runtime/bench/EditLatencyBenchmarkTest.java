package org.mend4j.runtime.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.eval.FineTuneMethod;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.MendEditor;
import org.mend4j.runtime.mend.MendEdits;
import org.mend4j.runtime.testing.TestModels;

/** bench edit on the shipped world model: warm-up pairs cycle the cases, and none is refused. */
class EditLatencyBenchmarkTest {

  @Test
  void timesEveryCaseAfterWarmUpPairsThatCycleTheCases() {
    List<EditCase> cases =
        EasyEditJson.readEditCases(TestModels.repoRoot().resolve("data/world/edits-test.json"))
            .subList(0, 3);
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model model = Gpt2Model.load(TestModels.worldModel(), manager);
        MendEditor editor = MendEditor.load(TestModels.worldEditor(), model.config(), manager)) {
      EditLatencyBenchmark bench =
          new EditLatencyBenchmark(
              model,
              new MendEdits(model, editor),
              new FineTuneMethod(model, editor.innerParams(), 1e-3, 5));

      assertThatThrownBy(() -> bench.run(cases, 0, manager))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("warm-up pair")
          .hasMessageContaining("0");

      Map<String, Object> result = bench.run(cases, 4, manager);
      assertThat(result).containsEntry("n", 3).containsEntry("warmup", 4);
      assertThat((double) result.get("forward_backward_ms_median")).isPositive();
      assertThat((double) result.get("mend_edit_ms_median")).isPositive();
      assertThat((double) result.get("paired_ratio_lower_quartile"))
          .isLessThanOrEqualTo((double) result.get("paired_ratio_median"));
      assertThat((double) result.get("paired_ratio_median"))
          .isLessThanOrEqualTo((double) result.get("paired_ratio_upper_quartile"));
    }
  }
}
