package org.mend4j.runtime.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.MendEditor;
import org.mend4j.runtime.mend.MendEdits;
import org.mend4j.runtime.testing.TestModels;

/** bench compose on the shipped world model: many edits in one process leave nothing native. */
class CompositionBenchmarkTest {

  @Test
  @SuppressWarnings("unchecked")
  void editAfterEditTheProcessHoldsNoNativeArrayItDidNotHoldBefore() {
    List<EditCase> cases =
        EasyEditJson.readEditCases(TestModels.repoRoot().resolve("data/world/edits-test.json"));
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model model = Gpt2Model.load(TestModels.worldModel(), manager);
        MendEditor editor = MendEditor.load(TestModels.worldEditor(), model.config(), manager)) {
      Map<String, Object> result =
          new CompositionBenchmark(model, new MendEdits(model, editor), 1)
              .run(cases, List.of(3, 12), manager);
      List<Map<String, Object>> steps = (List<Map<String, Object>>) result.get("steps");
      assertThat(steps).extracting(s -> s.get("n")).containsExactly(3, 12);
      assertThat(steps).extracting(s -> s.get("native_arrays_added")).containsExactly(0L, 0L);
      assertThat((double) steps.get(1).get("stored_edits_mb"))
          .isGreaterThan((double) steps.get(0).get("stored_edits_mb"));
    }
  }
}
