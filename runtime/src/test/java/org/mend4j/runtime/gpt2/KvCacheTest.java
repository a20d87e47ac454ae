package org.mend4j.runtime.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.engine.RowProducts;
import org.mend4j.runtime.testing.TestWeights;

/**
 * The cache's buffers grow (64, 128, 256 positions) and are reordered by beam search: across both,
 * one-token steps give the logits of a full recompute.
 */
class KvCacheTest {

  private static final Gpt2Config CONFIG =
      new Gpt2Config(16, 2, 2, 200, 50, 1e-5f, 64, "gelu_new", true, 49);

  private static NDManager manager;
  private static Gpt2Weights weights;
  private static FunctionalGpt2 model;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    weights = TestWeights.nonTrivial(CONFIG, 11, manager);
    model = new FunctionalGpt2(CONFIG);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void stepsPastEveryGrowthEqualAFullRecompute() {
    long[][] rows = randomRows(2, 150);
    float[] full = lastLogits(rows, 150);
    try (NDManager scope = manager.newSubManager();
        KvCache cache = new KvCache(scope, CONFIG.nLayer())) {
      model.hidden(scope.create(prefix(rows, 3)), weights, cache, LinearHook.NONE);
      float[] step = null;
      for (int t = 3; t < 150; t++) {
        long[][] next = {{rows[0][t]}, {rows[1][t]}};
        step = logits(model.hidden(scope.create(next), weights, cache, LinearHook.NONE));
      }
      assertThat(cache.length()).isEqualTo(150);
      assertClose(step, full);
    }
  }

  @Test
  void selectReordersRowsAfterGrowth() {
    long[][] rows = randomRows(2, 80);
    try (NDManager scope = manager.newSubManager();
        KvCache cache = new KvCache(scope, CONFIG.nLayer())) {
      model.hidden(scope.create(prefix(rows, 79)), weights, cache, LinearHook.NONE);
      cache.select(new long[] {1, 1});
      long[][] last = {{rows[1][79]}, {rows[1][79]}};
      float[] step = logits(model.hidden(scope.create(last), weights, cache, LinearHook.NONE));
      float[] expected = lastLogits(new long[][] {rows[1], rows[1]}, 80);
      assertClose(step, expected);
    }
  }

  /**
   * Batch 1 is what {@link RowProducts} computes (one row), here for {@code c_attn}, {@code
   * mlp.c_proj} and the head, whose weights reach {@link RowProducts#MIN_WEIGHT_FLOATS}, and for
   * {@code c_fc}, {@code [512, 2048]}, whose rows of 8 KiB {@link Gpt2Weights} holds padded and
   * which is read through its padded buffer; libtorch multiplies the smaller {@code attn.c_proj}.
   * Attention is {@link org.mend4j.runtime.engine.RowAttention}'s.
   */
  @Test
  void oneRowStepsOnTheNativeProductsEqualAFullRecompute() {
    Gpt2Config config = new Gpt2Config(512, 1, 2, 200, 2048, 1e-5f, 2048, "gelu_new", true, 49);
    try (NDManager scope = manager.newSubManager();
        Gpt2Weights padded = TestWeights.nonTrivial(config, 12, scope)) {
      String fc = Gpt2Names.block(0, "mlp.c_fc.weight");
      NDArray view = padded.base(fc);
      assertThat(RowPadding.aliased(view)).isTrue();
      NDArray row = scope.ones(new Shape(1, 1, 512));
      assertThat(FunctionalGpt2.rowProduct(row, view, padded.paddedStorage(fc), null))
          .as("c_fc read natively through its buffer")
          .isPresent();
      NDArray proj = padded.base(Gpt2Names.block(0, "mlp.c_proj.weight"));
      assertThat(proj.size()).isGreaterThanOrEqualTo(RowProducts.MIN_WEIGHT_FLOATS);
      assertThat(padded.base(Gpt2Names.LM_HEAD).size())
          .isGreaterThanOrEqualTo(RowProducts.MIN_WEIGHT_FLOATS);
      assertOneRowStepsEqualAFullRecompute(padded, scope);
    }
  }

  /**
   * GPT-2 medium's width: every matrix, the tied head too, has rows of 4 KiB and is padded, and
   * each is read through its padded buffer.
   */
  @Test
  void oneRowStepsOnPaddedMatricesEqualAFullRecompute() {
    Gpt2Config config = new Gpt2Config(1024, 1, 2, 200, 600, 1e-5f, 1024, "gelu_new", true, 49);
    try (NDManager scope = manager.newSubManager();
        Gpt2Weights padded = TestWeights.nonTrivial(config, 13, scope)) {
      NDArray head = padded.base(Gpt2Names.LM_HEAD);
      assertThat(RowPadding.aliased(head)).isTrue();
      assertThat(head.size()).isGreaterThanOrEqualTo(RowProducts.MIN_WEIGHT_FLOATS);
      assertOneRowStepsEqualAFullRecompute(padded, scope);
    }
  }

  /**
   * 97 one-row steps give the logits of a full recompute and leave the weights' manager as it was:
   * nothing copied a weight to read it.
   */
  private static void assertOneRowStepsEqualAFullRecompute(Gpt2Weights padded, NDManager scope) {
    assertThat(RowProducts.loaded()).as("the session applied RowProducts").isTrue();
    Gpt2Config config = padded.config();
    FunctionalGpt2 wide = new FunctionalGpt2(config);
    long[] row = new SplittableRandom(6).longs(100, 0, config.vocabSize()).toArray();
    NDManager weights = padded.base(Gpt2Names.LM_HEAD).getManager();
    int weightArrays = weights.getManagedArrays().size();
    try (KvCache cache = new KvCache(scope, config.nLayer())) {
      wide.hidden(
          scope.create(new long[][] {Arrays.copyOf(row, 3)}), padded, cache, LinearHook.NONE);
      NDArray step = null;
      for (int t = 3; t < row.length; t++) {
        NDArray hidden =
            wide.hidden(scope.create(new long[][] {{row[t]}}), padded, cache, LinearHook.NONE);
        step = wide.logits(hidden, padded);
      }
      assertThat(weights.getManagedArrays()).hasSize(weightArrays);
      NDArray all = wide.hidden(scope.create(new long[][] {row}), padded, null, LinearHook.NONE);
      float[] expected = wide.logits(all.get(":, -1:, :"), padded).toFloatArray();
      assertClose(step.toFloatArray(), expected);
    }
  }

  private static long[][] randomRows(int batch, int tokens) {
    SplittableRandom random = new SplittableRandom(5);
    long[][] rows = new long[batch][];
    for (int b = 0; b < batch; b++) {
      rows[b] = random.longs(tokens, 0, CONFIG.vocabSize()).toArray();
    }
    return rows;
  }

  private static long[][] prefix(long[][] rows, int tokens) {
    long[][] out = new long[rows.length][];
    for (int b = 0; b < rows.length; b++) {
      out[b] = Arrays.copyOf(rows[b], tokens);
    }
    return out;
  }

  /** Each row's logits at position {@code tokens - 1}, computed without a cache. */
  private static float[] lastLogits(long[][] rows, int tokens) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray hidden =
          model.hidden(scope.create(prefix(rows, tokens)), weights, null, LinearHook.NONE);
      return logits(hidden.get(":, " + (tokens - 1) + ":, :"));
    }
  }

  private static float[] logits(NDArray hidden) {
    return model.logits(hidden, weights).toFloatArray();
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-4f));
    }
  }
}
