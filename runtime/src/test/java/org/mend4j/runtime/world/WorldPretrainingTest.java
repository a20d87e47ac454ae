package org.mend4j.runtime.world;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.FactRecord;
import org.mend4j.runtime.eval.WorldEval;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.plot.TrainingCurves;
import org.mend4j.runtime.testing.TestModels;
import org.mend4j.runtime.train.TrainingListener;

/** The {@code test}-size pretraining learns the facts it sees, far above chance. */
class WorldPretrainingTest {

  @TempDir Path out;

  @Test
  void testSizeModelLearnsItsFactsAndStaysAtChanceOnOthers() throws IOException {
    Path data = TestModels.repoRoot().resolve("data/world");
    WorldPretraining pretraining = new WorldPretraining(data, PretrainRecipe.TEST, 1);
    double loss = pretraining.run(out, TrainingListener.SILENT, 0);
    assertThat(loss).isLessThan(1.5);
    List<String> curve = Files.readAllLines(out.resolve(TrainingCurves.CSV));
    assertThat(curve.get(0)).isEqualTo("step,split,metric,value");
    assertThat(curve.subList(1, curve.size()))
        .hasSizeGreaterThan(100)
        .allMatch(l -> l.contains(",train,loss,"));
    double first = Double.parseDouble(curve.get(1).split(",")[3]);
    double last = Double.parseDouble(curve.get(curve.size() - 1).split(",")[3]);
    assertThat(last).as("the loss falls").isLessThan(first / 2);
    assertThat(out.resolve(TrainingCurves.PNG)).exists();

    Set<String> trained = new HashSet<>(pretraining.corpus());
    List<FactRecord> facts = FactRecord.read(data.resolve("facts.json"));
    List<FactRecord> seen =
        facts.stream()
            .filter(f -> trained.contains(f.prompts().get(0) + " " + f.object() + "."))
            .toList();
    List<FactRecord> unseen = facts.stream().filter(f -> !seen.contains(f)).limit(200).toList();
    assertThat(seen).hasSizeGreaterThan(100);

    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model model = Gpt2Model.load(out, manager)) {
      Map<String, Object> known = WorldEval.evaluate(model, seen, manager);
      Map<String, Object> unknown = WorldEval.evaluate(model, unseen, manager);
      assertThat((double) known.get("fact_accuracy")).isGreaterThan(0.8);
      assertThat((double) unknown.get("fact_accuracy")).isLessThan(0.25);
    }
  }
}
