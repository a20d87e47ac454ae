package org.mend4j.runtime.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.testing.TestWeights;

class FunctionalGpt2Test {

  private static final long[] IDS = {3, 17, 42, 8, 8, 0, 49, 23, 11};
  private static final String INNER = Gpt2Names.block(1, "mlp.c_fc.weight");

  private static NDManager manager;
  private static Gpt2Weights weights;
  private static FunctionalGpt2 model;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    weights = TestWeights.nonTrivial(TestWeights.smallConfig(), 7, manager);
    model = new FunctionalGpt2(weights.config());
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  private static float[] logits(Gpt2Params params, long[] ids) {
    try (NDManager scope = manager.newSubManager()) {
      return model.forward(scope.create(new long[][] {ids}), params).toFloatArray();
    }
  }

  @Test
  void matchesStraightforwardComputationWithBiasesAndLayerNorms() {
    Map<String, float[]> plain = new HashMap<>();
    weights.tensors().forEach((name, array) -> plain.put(name, array.toFloatArray()));
    float[][] expected = new NaiveGpt2(weights.config(), plain).logits(IDS);
    float[] actual = logits(weights, IDS);
    int vocab = weights.config().vocabSize();
    for (int t = 0; t < IDS.length; t++) {
      for (int v = 0; v < vocab; v++) {
        assertThat(actual[t * vocab + v]).isCloseTo(expected[t][v], within(1e-4f));
      }
    }
  }

  @Test
  void inferenceInPlaceGivesTheLogitsOfARecordedPass() {
    float[] inPlace = logits(weights, IDS);
    float[] recorded;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      recorded = logits(weights, IDS);
    }
    assertClose(inPlace, 0, recorded, 0, recorded.length, 1e-6f);
  }

  @Test
  void aPassFromTheResidualOfItsLowerBlocksIsTheWholePassBitForBit() {
    int layers = weights.config().nLayer();
    for (boolean recording : new boolean[] {false, true}) {
      for (int from = 0; from <= layers; from++) {
        try (NDManager scope = manager.newSubManager();
            GradientCollector collector =
                recording ? Engine.getInstance().newGradientCollector() : null) {
          NDArray ids = scope.create(new long[][] {IDS});
          float[] whole = model.hidden(ids, weights, null, LinearHook.NONE).toFloatArray();
          NDArray residual = model.residual(ids, weights, from, LinearHook.NONE);
          float[] before = residual.toFloatArray();
          float[] resumed =
              model.hiddenFrom(residual, from, weights, LinearHook.NONE, scope).toFloatArray();
          assertThat(resumed).as("from block %d, recording %s", from, recording).isEqualTo(whole);
          assertThat(residual.toFloatArray())
              .as("the residual is left as it was")
              .isEqualTo(before);
        }
      }
    }
  }

  @Test
  void incrementalDecodingWithCacheEqualsFullRecompute() {
    float[] full = logits(weights, IDS);
    int vocab = weights.config().vocabSize();
    try (NDManager scope = manager.newSubManager();
        KvCache cache = new KvCache(scope, weights.config().nLayer())) {
      int prefix = 4;
      long[] first = java.util.Arrays.copyOf(IDS, prefix);
      float[] step =
          model
              .logits(
                  model.hidden(scope.create(new long[][] {first}), weights, cache, LinearHook.NONE),
                  weights)
              .toFloatArray();
      assertClose(step, 0, full, 0, prefix * vocab, 1e-5f);
      for (int t = prefix; t < IDS.length; t++) {
        NDArray h =
            model.hidden(scope.create(new long[][] {{IDS[t]}}), weights, cache, LinearHook.NONE);
        assertClose(model.logits(h, weights).toFloatArray(), 0, full, t * vocab, vocab, 1e-5f);
      }
      assertThat(cache.length()).isEqualTo(IDS.length);
    }
  }

  @Test
  void factoredDeltaEqualsDenseWeightUpdate() {
    try (NDManager scope = manager.newSubManager()) {
      long in = weights.base(INNER).getShape().get(0);
      long out = weights.base(INNER).getShape().get(1);
      NDArray u = scope.randomNormal(new Shape(3, in));
      NDArray delta = scope.randomNormal(new Shape(3, out));
      FactoredDelta factored = FactoredDelta.of(u, delta, 0.05f);
      Gpt2Params withDelta =
          params(name -> name.equals(INNER) ? List.of(factored) : List.of(), Map.of());
      NDArray dense = weights.base(INNER).add(factored.dense());
      Gpt2Params withDense = params(name -> List.of(), Map.of(INNER, dense));
      float[] a = logits(withDelta, IDS);
      float[] b = logits(withDense, IDS);
      assertClose(a, 0, b, 0, a.length, 1e-4f);
      assertThat(maxAbsDiff(a, logits(weights, IDS)))
          .as("the delta changes the output")
          .isGreaterThan(1e-3f);
    }
  }

  /**
   * A gated delta with its gates open computes what the dense weight change computes (what a host
   * whose weights are changed in place holds), and differs from the gated delta where gates close.
   */
  @Test
  void gatesOpenEqualTheDenseWeightUpdate() {
    try (NDManager scope = manager.newSubManager()) {
      long in = weights.base(INNER).getShape().get(0);
      long out = weights.base(INNER).getShape().get(1);
      NDArray u = scope.randomNormal(new Shape(3, in));
      NDArray delta = scope.randomNormal(new Shape(3, out));
      // thresholds no row ever reaches: gated, the delta adds nothing
      NDArray closed = scope.create(new float[] {1e9f, 1e9f, 1e9f});
      FactoredDelta gated = new FactoredDelta(u, delta, scope.create(0.05f), closed, false);
      Gpt2Params withGated =
          params(name -> name.equals(INNER) ? List.of(gated) : List.of(), Map.of());
      Gpt2Params dense =
          params(
              name -> List.of(),
              Map.of(INNER, weights.base(INNER).add(gated.withGatesOpen().dense())));
      float[] base = logits(weights, IDS);
      assertClose(logits(withGated, IDS), 0, base, 0, base.length, 1e-6f);
      float[] open = logits(EditedParams.withGatesOpen(withGated), IDS);
      assertClose(open, 0, logits(dense, IDS), 0, open.length, 1e-4f);
      assertThat(maxAbsDiff(open, base)).isGreaterThan(1e-3f);
    }
  }

  @Test
  void gradientOfDeltaScaleMatchesFiniteDifference() {
    try (NDManager scope = manager.newSubManager()) {
      NDArray u = scope.randomNormal(new Shape(2, weights.base(INNER).getShape().get(0)));
      NDArray delta = scope.randomNormal(new Shape(2, weights.base(INNER).getShape().get(1)));
      NDArray alpha = scope.create(0.01f);
      alpha.setRequiresGradient(true);
      Gpt2Params params =
          params(
              n -> n.equals(INNER) ? List.of(new FactoredDelta(u, delta, alpha)) : List.of(),
              Map.of());
      NDArray ids = scope.create(new long[][] {IDS});
      double gradient;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = model.forward(ids, params).get(new NDIndex(":, :, 5")).sum();
        gc.backward(loss);
        gradient = alpha.getGradient().getFloat();
      }
      double h = 1e-3;
      double plus = lossAt(ids, u, delta, 0.01f + (float) h);
      double minus = lossAt(ids, u, delta, 0.01f - (float) h);
      assertThat(gradient)
          .isCloseTo((plus - minus) / (2 * h), within(Math.abs(gradient) * 0.02 + 1e-3));
      assertThat(Math.abs(gradient)).isGreaterThan(1e-3);
    }
  }

  private double lossAt(NDArray ids, NDArray u, NDArray delta, float alpha) {
    Gpt2Params p =
        params(
            n -> n.equals(INNER) ? List.of(FactoredDelta.of(u, delta, alpha)) : List.of(),
            Map.of());
    return model.forward(ids, p).get(new NDIndex(":, :, 5")).sum().getFloat();
  }

  @Test
  void refusesSequencesLongerThanTheContext() {
    long[] tooLong = new long[weights.config().nPositions() + 1];
    assertThatThrownBy(() -> logits(weights, tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the model's context of 16");
  }

  private static Gpt2Params params(
      java.util.function.Function<String, List<FactoredDelta>> deltas,
      Map<String, NDArray> overrides) {
    return new Gpt2Params() {
      @Override
      public NDArray base(String name) {
        return overrides.getOrDefault(name, weights.base(name));
      }

      @Override
      public List<FactoredDelta> deltas(String name) {
        return deltas.apply(name);
      }
    };
  }

  private static void assertClose(float[] a, int aFrom, float[] b, int bFrom, int n, float tol) {
    for (int i = 0; i < n; i++) {
      assertThat(a[aFrom + i]).as("element %d", i).isCloseTo(b[bFrom + i], within(tol));
    }
  }

  private static float maxAbsDiff(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
