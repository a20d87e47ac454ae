package org.mend4j.runtime.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.gpt2.Gpt2Config;

/** The arithmetic behind bench gpt2's fractions, checked against figures known by hand. */
class Gpt2WorkTest {

  private static final Gpt2Config SMALL = Gpt2Benchmark.gpt2Small();

  /** GPT-2 small's published parameter count, wte and wpe included. */
  private static final long GPT2_SMALL_PARAMETERS = 124_439_808L;

  @Test
  void aDecodeStepReadsEveryWeightOnceTheTiedHeadInFullAndTheCache() {
    long wte = 50257L * 768;
    long wpe = 1024L * 768;
    long everyMatrixBiasAndNorm = GPT2_SMALL_PARAMETERS - wte - wpe;
    long oneWpeRow = 768;
    assertThat(Gpt2Work.decodeBytes(SMALL, 0))
        .isEqualTo(4.0 * (everyMatrixBiasAndNorm + wte + oneWpeRow));
    long cache = 2L * 12 * 144 * 768;
    assertThat(Gpt2Work.decodeBytes(SMALL, 144) - Gpt2Work.decodeBytes(SMALL, 0))
        .isEqualTo(4.0 * cache);
  }

  @Test
  void anUntiedHeadIsReadBesideOneRowOfTheEmbedding() {
    Gpt2Config untied =
        new Gpt2Config(768, 12, 12, 1024, 50257, 1e-5f, 3072, "gelu_new", false, 50256);
    assertThat(Gpt2Work.decodeBytes(untied, 10) - Gpt2Work.decodeBytes(SMALL, 10))
        .isEqualTo(4.0 * 768);
  }

  @Test
  void flopsCountEveryMatmulOfTheStep() {
    // 12 layers x 2 x (768 x 2304 + 768 x 768 + 2 x 768 x 3072) + 2 x 768 x 50257 for the head
    double weights = 12 * 2.0 * 768 * (2304 + 768 + 2 * 3072) + 2.0 * 768 * 50257;
    assertThat(Gpt2Work.decodeFlops(SMALL, 0)).isEqualTo(weights);
    // q k^T and p v: 2 x 2 x keys x 768 per layer
    assertThat(Gpt2Work.decodeFlops(SMALL, 100) - weights).isEqualTo(12 * 4.0 * 100 * 768);
    assertThat(Gpt2Work.promptFlops(SMALL, 1)).isEqualTo(Gpt2Work.decodeFlops(SMALL, 1));
  }

  @Test
  void decodeStepsAttendOnAverageToThePromptAndHalfTheNewTokens() {
    // 4 new tokens after 10: the prompt's pass gives the first; steps attend to 11, 12, 13
    assertThat(Gpt2Work.meanDecodeKeys(10, 4)).isEqualTo(12.0);
  }

  @Test
  void fractionsDivideTheWorkByTheMeasuredLimits() {
    Map<String, Object> f =
        new Gpt2Benchmark(SMALL, 128, 32, 1, 1).figures(200, 20, 0.25, 0.05, 400_000_000L, 0.04);
    double bytes = Gpt2Work.decodeBytes(SMALL, 144);
    double floorMs = bytes / 20e9 * 1e3;
    assertThat((double) f.get("decode_floor_ms_per_token")).isCloseTo(floorMs, within(1e-3));
    assertThat((double) f.get("decode_fraction_of_floor")).isCloseTo(floorMs / 50, within(1e-3));
    assertThat((double) f.get("decode_gb_per_s")).isCloseTo(bytes / 0.05 / 1e9, within(1e-3));
    double promptGflops = Gpt2Work.promptFlops(SMALL, 128) / 0.25 / 1e9;
    assertThat((double) f.get("prompt_fraction_of_peak"))
        .isCloseTo(promptGflops / 200, within(1e-3));
    assertThat((double) f.get("decode_ms_per_token")).isEqualTo(50.0);
    assertThat((double) f.get("prompt_tokens_per_s")).isEqualTo(512.0);
    assertThat((double) f.get("products_gb_per_s")).isEqualTo(10.0);
    assertThat((double) f.get("products_fraction_of_bandwidth")).isEqualTo(0.5);
    assertThat((double) f.get("decode_fraction_of_products")).isEqualTo(0.8);
  }
}
