package org.mend4j.runtime.mend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditComposition;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditLimits;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.KeyValues;
import org.mend4j.runtime.edit.ParamDelta;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.testing.TestModels;
import org.mend4j.runtime.train.LabeledExample;
import org.mend4j.runtime.train.TokenLoss;

/** Single, batched and sequential edits with the shipped world model and editor. */
class WorldEditingTest {

  private static NDManager manager;
  private static Gpt2Model model;
  private static MendEditor editor;
  private static MendEdits edits;
  private static List<EditCase> cases;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    manager = NDManager.newBaseManager();
    model = Gpt2Model.load(TestModels.worldModel(), manager);
    editor = MendEditor.load(TestModels.worldEditor(), model.config(), manager);
    edits = new MendEdits(model, editor);
    cases = EasyEditJson.readEditCases(TestModels.repoRoot().resolve("data/world/edits-test.json"));
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static EditRequest request(EditCase c) {
    return new EditRequest(c.prompt(), c.targetNew(), c.rephrasePrompt());
  }

  /** Log-probability of the target after the prompt under {@code params}. */
  private static double logProb(Gpt2Params params, String prompt, String target) {
    LabeledExample e = LabeledExample.of(model.tokenizer(), prompt, target);
    try (NDManager scope = manager.newSubManager()) {
      NDArray logits = model.function().forward(scope.create(new long[][] {e.inputs()}), params);
      NDArray lp = TokenLoss.targetLogProbs(logits, scope.create(new long[][] {e.targets()}));
      float[] all = lp.toFloatArray();
      double sum = 0;
      for (int i = e.targetStart() - 1; i < all.length; i++) {
        sum += all[i];
      }
      return sum;
    }
  }

  private static String greedyNext(Gpt2Params params, String prompt, EditCase c) {
    LabeledExample e = LabeledExample.of(model.tokenizer(), prompt, c.targetNew());
    try (NDManager scope = manager.newSubManager()) {
      long[] argmax =
          model
              .function()
              .forward(scope.create(new long[][] {e.inputs()}), params)
              .argMax(-1)
              .toLongArray();
      return model.decode(new long[] {argmax[e.targetStart() - 1]}).trim();
    }
  }

  @Test
  void singleEditChangesTheAnswerAndItsParaphraseButNotAnUnrelatedFact() {
    EditCase c = cases.get(0);
    Edit edit = edits.edit(List.of(request(c)), model.weights());
    try (NDManager scope = manager.newSubManager()) {
      Gpt2Params edited = edits.apply(List.of(edit), scope);
      assertThat(greedyNext(model.weights(), c.prompt(), c)).isEqualTo(c.groundTruth());
      assertThat(greedyNext(edited, c.prompt(), c)).isEqualTo(c.targetNew());
      assertThat(greedyNext(edited, c.rephrasePrompt(), c)).isEqualTo(c.targetNew());
      assertThat(logProb(edited, c.localityPrompt(), c.localityGroundTruth()))
          .isGreaterThan(Math.log(0.5));
    }
    assertThat(edit.storedFloats()).isLessThan(edit.denseFloats() / 4);
  }

  @Test
  void editFileRoundTripAppliesIdentically() {
    EditCase c = cases.get(1);
    Edit edit = edits.edit(List.of(request(c)), model.weights());
    Path file = dir.resolve("e" + EditFile.SUFFIX);
    EditFile.write(edit, file);
    try (NDManager scope = manager.newSubManager()) {
      double direct = logProb(edits.apply(List.of(edit), scope), c.prompt(), c.targetNew());
      double viaFile =
          logProb(edits.apply(List.of(EditFile.read(file)), scope), c.prompt(), c.targetNew());
      assertThat(viaFile).isEqualTo(direct);
    }
  }

  @Test
  void batchedEditMakesAllItsRequestsMoreLikelyInOneUpdate() {
    List<EditCase> batch = cases.subList(2, 5);
    Edit edit = edits.edit(batch.stream().map(WorldEditingTest::request).toList(), model.weights());
    assertThat(edit.requests()).hasSize(3);
    Edit single = edits.edit(List.of(request(batch.get(0))), model.weights());
    assertThat(edit.params().get(0).rows()).isGreaterThan(single.params().get(0).rows());
    try (NDManager scope = manager.newSubManager()) {
      Gpt2Params edited = edits.apply(List.of(edit), scope);
      for (EditCase c : batch) {
        assertThat(logProb(edited, c.prompt(), c.targetNew()))
            .as(c.prompt() + " -> " + c.targetNew())
            .isGreaterThan(logProb(model.weights(), c.prompt(), c.targetNew()) + 1.0);
      }
    }
  }

  @Test
  void sequentialEditsOfUnrelatedFactsBothHold() {
    EditCase first = cases.get(5);
    EditCase second = cases.get(6);
    try (NDManager scope = manager.newSubManager()) {
      Edit a = edits.edit(List.of(request(first)), model.weights());
      Edit b = edits.edit(List.of(request(second)), edits.apply(List.of(a), scope));
      Gpt2Params both = edits.apply(List.of(a, b), scope);
      assertThat(greedyNext(both, first.prompt(), first)).isEqualTo(first.targetNew());
      assertThat(greedyNext(both, second.prompt(), second)).isEqualTo(second.targetNew());
      assertThat(greedyNext(both, first.rephrasePrompt(), first)).isEqualTo(first.targetNew());
      assertThat(greedyNext(both, second.rephrasePrompt(), second)).isEqualTo(second.targetNew());
    }
  }

  @Test
  void aRevisionThatSupersedesAnEarlierEditIsMadeAsIfThatEditHadNeverBeen() {
    EditCase first = cases.get(3); // Shavash works as a nurse
    EditCase second = cases.get(4); // ... then as a singer, through another prompt
    EditComposition.Mode ls = EditComposition.Mode.LEAST_SQUARES;
    Edit a = edits.editAmong(List.of(request(first)), List.of(), ls, MendEdits.DEFAULT_PASSES);
    Edit b = edits.editAmong(List.of(request(second)), List.of(a), ls, MendEdits.DEFAULT_PASSES);
    int rowsOfA = a.params().stream().mapToInt(p -> p.keyValues().rows()).sum();
    int dropped =
        EditComposition.compose(List.of(a, b), ls).values().stream()
            .mapToInt(EditComposition.Composed::supersededRows)
            .sum();
    assertThat(dropped).as("b supersedes every row of a").isEqualTo(rowsOfA);
    Edit alone = edits.editAmong(List.of(request(second)), List.of(), ls, MendEdits.DEFAULT_PASSES);
    for (int i = 0; i < b.params().size(); i++) {
      KeyValues got = b.params().get(i).keyValues();
      KeyValues want = alone.params().get(i).keyValues();
      assertThat(got.keys()).containsExactly(want.keys(), within(1e-4f));
      assertThat(got.values()).containsExactly(want.values(), within(1e-3f));
    }
    try (NDManager scope = manager.newSubManager()) {
      Gpt2Params both = edits.apply(List.of(a, b), scope);
      assertThat(greedyNext(both, second.prompt(), second)).isEqualTo(second.targetNew());
      assertThat(greedyNext(both, second.rephrasePrompt(), second)).isEqualTo(second.targetNew());
    }
  }

  @Test
  void aFactEditedAgainIsComputedOnTheEditedModelAndTheLatestTargetWins() {
    EditCase first = cases.get(3); // Shavash works as a nurse
    EditCase second = cases.get(4); // ... then as a singer, through another prompt
    assertThat(second.subject()).isEqualTo(first.subject());
    try (NDManager scope = manager.newSubManager()) {
      Edit a = edits.edit(List.of(request(first)), model.weights());
      Gpt2Params afterA = edits.apply(List.of(a), scope);
      assertThat(greedyNext(afterA, second.prompt(), second)).isEqualTo(first.targetNew());
      Edit b = edits.edit(List.of(request(second)), afterA);
      Edit bOnBase = edits.edit(List.of(request(second)), model.weights());
      assertThat(b.params().get(0).u()).isNotEqualTo(bOnBase.params().get(0).u());
      Gpt2Params both = edits.apply(List.of(a, b), scope);
      assertThat(greedyNext(both, second.prompt(), second)).isEqualTo(second.targetNew());
      assertThat(greedyNext(both, second.rephrasePrompt(), second)).isEqualTo(second.targetNew());
      Gpt2Params withoutB = edits.apply(List.of(a), scope);
      assertThat(greedyNext(withoutB, first.prompt(), first)).isEqualTo(first.targetNew());
    }
  }

  @Test
  void theEditorsEditsStayFarWithinTheLimitsAnImportMustKeep() {
    double change = 0;
    double value = 0;
    for (int i = 0; i < 40; i += 5) {
      Edit edit =
          edits.editAmong(
              List.of(request(cases.get(i))),
              List.of(),
              EditComposition.Mode.LEAST_SQUARES,
              MendEdits.DEFAULT_PASSES);
      for (ParamDelta p : edit.params()) {
        double norm;
        try (NDArray w = model.weights().base(Gpt2Names.canonical(p.name())).norm()) {
          norm = w.getFloat();
        }
        assertThat(EditLimits.changeProblem(p, norm)).as(p.name()).isNull();
        change = Math.max(change, EditLimits.relativeChange(p, norm));
        value = Math.max(value, EditLimits.largestValueRatio(p, norm));
      }
    }
    System.out.printf(
        "8 refined edits of the test split: largest weight change %.3f of the weight's norm,"
            + " largest value %.3f of what the weight gives its key (limit %.1f)%n",
        change, value, EditLimits.MAX_RELATIVE_CHANGE);
    assertThat(Math.max(change, value)).isLessThan(EditLimits.MAX_RELATIVE_CHANGE / 8);
  }
}
