package org.mend4j.runtime.mend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.testing.TestModels;
import org.mend4j.runtime.testing.TestWeights;
import org.mend4j.runtime.train.LabeledExample;

class MendEditorTest {

  @TempDir Path dir;
  private NDManager manager;
  private Gpt2Model model;

  @BeforeEach
  void load() throws IOException {
    manager = NDManager.newBaseManager();
    model =
        Gpt2Model.load(
            TestModels.tinyWithTokenizer(Files.createDirectory(dir.resolve("model"))), manager);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private MendEditor newEditor() {
    return newEditor(manager);
  }

  private MendEditor newEditor(NDManager parent) {
    MendHparams h = MendHparams.defaults(model.config());
    h.rank = 16;
    return MendEditor.create(h, model.config(), parent);
  }

  private static GradientFactors randomFactors(int rows, int in, int out, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[rows * in];
    float[] d = new float[rows * out];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (r.nextGaussian() * 1e-3);
    }
    return new GradientFactors(x, d, rows, in, out);
  }

  @Test
  void editorIsExactlyTheIdentityOnNormalisedFactorsAtInit() {
    MendEditor editor = newEditor();
    long[] shape = editor.shape(0);
    GradientFactors f = randomFactors(6, (int) shape[0], (int) shape[1], 1);
    try (NDManager scope = manager.newSubManager()) {
      NDArray[] out = editor.transform(0, f, true, scope);
      GradientTransform t = transformOf(editor);
      float[] expectedX = t.xNorm.normalise(f.x(), f.rows());
      float[] expectedDelta = t.deltaNorm.normalise(f.delta(), f.rows());
      assertThat(out[0].toFloatArray()).containsExactly(expectedX);
      assertThat(out[1].toFloatArray()).containsExactly(expectedDelta);
    }
  }

  @Test
  void weightsSharingANetworkAreTransformedTogetherAsEachAlone() {
    MendEditor editor = newEditor();
    SplittableRandom random = new SplittableRandom(3);
    editor
        .outerParams()
        .forEach(
            (name, array) -> {
              float[] values = new float[(int) array.size()];
              for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * 0.1);
              }
              array.set(values);
            });
    List<String> inner = editor.innerParams();
    assertThat(inner).as("several weights share each network").hasSizeGreaterThan(2);
    Map<String, GradientFactors> factors = new java.util.LinkedHashMap<>();
    for (int i = 0; i < inner.size(); i++) {
      long[] shape = editor.shape(i);
      GradientFactors f = randomFactors(3 + i, (int) shape[0], (int) shape[1], 10 + i);
      // the first weight has no gradient at all: it must be left out, and the rest still line up
      factors.put(inner.get(i), i == 0 ? zeroDelta(f) : f);
    }
    try (NDManager scope = manager.newSubManager()) {
      for (int i = 0; i < inner.size(); i++) {
        editor.transform(i, factors.get(inner.get(i)), true, scope); // statistics to normalise by
      }
      Map<String, NDArray[]> together = editor.transformAll(factors, scope);
      assertThat(together.keySet()).containsExactlyElementsOf(inner.subList(1, inner.size()));
      for (int i = 1; i < inner.size(); i++) {
        NDArray[] alone = editor.transform(i, factors.get(inner.get(i)), false, scope);
        NDArray[] both = together.get(inner.get(i));
        for (int side = 0; side < 2; side++) {
          float[] expected = alone[side].toFloatArray();
          float[] actual = both[side].toFloatArray();
          assertThat(actual).hasSameSizeAs(expected);
          for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k])
                .isCloseTo(expected[k], within(1e-4f * (1 + Math.abs(expected[k]))));
          }
        }
      }
    }
  }

  @Test
  void transformingLeavesNothingBehindInTheEditorsManager() {
    NDManager editorManager = manager.newSubManager();
    MendEditor editor = newEditor(editorManager);
    List<String> inner = editor.innerParams();
    Map<String, GradientFactors> factors = new java.util.LinkedHashMap<>();
    for (int i = 0; i < inner.size(); i++) {
      long[] shape = editor.shape(i);
      factors.put(inner.get(i), randomFactors(4, (int) shape[0], (int) shape[1], 20 + i));
    }
    int before = editorManager.getManagedArrays().size();
    for (int step = 0; step < 3; step++) {
      try (NDManager scope = manager.newSubManager()) {
        for (int i = 0; i < inner.size(); i++) {
          editor.transform(i, factors.get(inner.get(i)), true, scope); // as training does
        }
        editor.transformAll(factors, scope); // as an edit does
      }
    }
    // a layer's transposes and mode rows are made from its own arrays, so they land beside them
    assertThat(editorManager.getManagedArrays()).hasSize(before);
  }

  private static GradientFactors zeroDelta(GradientFactors f) {
    return new GradientFactors(f.x(), new float[f.delta().length], f.rows(), f.in(), f.out());
  }

  private static GradientTransform transformOf(MendEditor editor) {
    try {
      var field = MendEditor.class.getDeclaredField("transforms");
      field.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<String, GradientTransform> map = (Map<String, GradientTransform>) field.get(editor);
      return map.values().iterator().next();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void capturedFactorsSumToTheWeightGradient() {
    MendEditor editor = newEditor();
    String inner = editor.innerParams().get(1);
    LabeledExample example =
        LabeledExample.of(model.tokenizer(), "The capital of France is", "Paris");
    try (NDManager scope = manager.newSubManager()) {
      NDArray leaf = model.weights().base(inner).duplicate();
      leaf.attach(scope);
      leaf.setRequiresGradient(true);
      Gpt2Params withLeaf =
          name -> Gpt2Names.canonical(name).equals(inner) ? leaf : model.weights().base(name);
      GradientFactors f =
          new MendEdits(model, editor).capture(List.of(example), withLeaf, scope).get(inner);
      float[] autograd = leaf.getGradient().toFloatArray();
      double maxAbs = 0;
      for (int i = 0; i < f.in(); i++) {
        for (int j = 0; j < f.out(); j++) {
          double sum = 0;
          for (int r = 0; r < f.rows(); r++) {
            sum += f.x()[r * f.in() + i] * f.delta()[r * f.out() + j];
          }
          assertThat(sum).isCloseTo(autograd[i * f.out() + j], within(1e-6));
          maxAbs = Math.max(maxAbs, Math.abs(sum));
        }
      }
      assertThat(maxAbs).as("the gradient is not trivially zero").isGreaterThan(1e-4);
    }
  }

  @Test
  void checkpointRoundTripKeepsWeightsStatisticsAndId() {
    MendEditor editor = newEditor();
    long[] shape = editor.shape(0);
    try (NDManager scope = manager.newSubManager()) {
      editor.transform(0, randomFactors(5, (int) shape[0], (int) shape[1], 2), true, scope);
      editor.outerParams().values().forEach(p -> p.addi(0.01f));
      editor.save(dir.resolve("editor"));
      MendEditor loaded = MendEditor.load(dir.resolve("editor"), model.config(), manager);
      assertThat(loaded.id()).isEqualTo(editor.id()).startsWith("mend-");
      GradientFactors probe = randomFactors(3, (int) shape[0], (int) shape[1], 3);
      NDArray[] a = editor.transform(0, probe, false, scope);
      NDArray[] b = loaded.transform(0, probe, false, scope);
      assertThat(b[0].toFloatArray()).containsExactly(a[0].toFloatArray());
      assertThat(b[1].toFloatArray()).containsExactly(a[1].toFloatArray());
      assertThat(loaded.editLrValue(0)).isEqualTo(editor.editLrValue(0));
    }
  }

  @Test
  void editorForAnotherModelIsRefusedClearly() {
    MendEditor editor = newEditor();
    try (NDManager scope = manager.newSubManager()) {
      long[] shape = editor.shape(0);
      editor.transform(0, randomFactors(3, (int) shape[0], (int) shape[1], 4), true, scope);
    }
    editor.save(dir.resolve("editor"));
    Gpt2Config other = TestWeights.smallConfig();
    assertThatThrownBy(() -> MendEditor.load(dir.resolve("editor"), other, manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit this model");
  }

  @Test
  void untrainedEditorCannotEdit() {
    MendEdits edits = new MendEdits(model, newEditor());
    assertThatThrownBy(
            () ->
                edits.edit(
                    List.of(new EditRequest("The capital of France is", "Rome", null)),
                    model.weights()))
        .hasMessageContaining("was the editor trained?");
  }

  @Test
  void badRequestsAreClearErrors() {
    assertThatThrownBy(() -> new EditRequest("The capital of France is", " ", null))
        .hasMessageContaining("'target_new' is empty");
    MendEditor editor = newEditor();
    MendEdits edits = new MendEdits(model, editor);
    String tooLong = "word ".repeat(600);
    assertThatThrownBy(
            () -> edits.edit(List.of(new EditRequest(tooLong, "x", null)), model.weights()))
        .hasMessageContaining("exceeds the model's context of 512");
  }

  @Test
  void firstOrderGradientReachesTheEditorThroughTheEditedModel() {
    MendEditor editor = newEditor();
    long[] shape = editor.shape(0);
    try (NDManager scope = manager.newSubManager()) {
      editor.transform(0, randomFactors(4, (int) shape[0], (int) shape[1], 5), true, scope);
    }
    MendEdits edits = new MendEdits(model, editor);
    LabeledExample example =
        LabeledExample.of(model.tokenizer(), "The capital of France is", "Paris");
    editor.outerParams().values().forEach(p -> p.setRequiresGradient(true));
    try (NDManager scope = manager.newSubManager()) {
      Map<String, GradientFactors> factors =
          edits.capture(List.of(example), model.weights(), scope);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        var deltas = edits.pseudoDeltas(factors, true, scope);
        var edited = org.mend4j.runtime.edit.EditedParams.withDeltas(model.weights(), deltas);
        NDArray logits =
            model.function().forward(scope.create(new long[][] {example.inputs()}), edited);
        collector.backward(logits.sum());
      }
      assertThat(editor.outerParams().get("edit_lrs").getGradient().abs().sum().getFloat())
          .isGreaterThan(0f);
    }
  }
}
