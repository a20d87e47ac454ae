package org.mend4j.runtime.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.generate.GenerationConfig;
import org.mend4j.runtime.generate.Generator;
import org.mend4j.runtime.testing.TestModels;

/** Reproduces every output HF's reference implementation gave for tiny-random-gpt2. */
class ReferenceModelTest {

  private static final double TOLERANCE = 1e-4;

  private static NDManager manager;
  private static Gpt2Weights weights;
  private static FunctionalGpt2 model;
  private static JsonObject expected;

  @BeforeAll
  static void load() throws Exception {
    manager = NDManager.newBaseManager();
    weights = Gpt2Checkpoint.load(TestModels.tinyRandomGpt2(), manager);
    model = new FunctionalGpt2(weights.config());
    expected =
        JsonParser.parseString(
                Files.readString(TestModels.tinyRandomGpt2().resolve("expected.json")))
            .getAsJsonObject();
  }

  @AfterAll
  static void close() {
    weights.close();
    manager.close();
  }

  @Test
  void promptLogitsMatchReference() {
    assertSampledLogits(
        new long[][] {{0, 0, 0, 52}, {0, 0, 195, 731}}, "prompt_logits_sampled", false);
  }

  @Test
  void firstGeneratedStepLogitsMatchReference() {
    assertSampledLogits(
        new long[][] {{0, 0, 0, 52, 204}, {0, 0, 195, 731, 731}},
        "first_generated_step_logits_sampled",
        true);
  }

  private void assertSampledLogits(long[][] ids, String key, boolean lastOnly) {
    JsonArray values = expected.getAsJsonObject(key).getAsJsonArray("values");
    try (NDManager scope = manager.newSubManager()) {
      NDArray logits = model.forward(scope.create(ids), weights);
      if (lastOnly) {
        logits = logits.get(":, -1:, :");
      }
      float[] flat = logits.toFloatArray();
      assertThat(flat.length / 200).isEqualTo(values.size());
      for (int i = 0; i < values.size(); i++) {
        assertThat((double) flat[i * 200])
            .as("%s[%d]", key, i * 200)
            .isCloseTo(values.get(i).getAsDouble(), within(TOLERANCE));
      }
    }
  }

  @Test
  void greedySequencesMatchReference() {
    JsonObject greedy = expected.getAsJsonObject("greedy");
    int maxLength = greedy.get("max_length").getAsInt();
    for (JsonElement c : greedy.getAsJsonArray("cases")) {
      long[] prompt = longs(c.getAsJsonObject().getAsJsonArray("input_ids"));
      long[] out = generator().generate(prompt, GenerationConfig.greedy(maxLength - prompt.length));
      assertThat(out)
          .containsExactly(longs(c.getAsJsonObject().getAsJsonArray("expected_sequence")));
    }
  }

  @Test
  void beamSearchSequencesMatchReference() {
    JsonObject beam = expected.getAsJsonObject("beam_search");
    int maxLength = beam.get("max_length").getAsInt();
    int numBeams = beam.get("num_beams").getAsInt();
    double lengthPenalty = beam.get("length_penalty").getAsDouble();
    JsonArray cases = beam.getAsJsonArray("cases");
    assertThat(cases).hasSize(3);
    for (JsonElement c : cases) {
      long[] prompt = longs(c.getAsJsonObject().getAsJsonArray("input_ids"));
      GenerationConfig config =
          GenerationConfig.beams(maxLength - prompt.length, numBeams, lengthPenalty);
      assertThat(generator().generate(prompt, config))
          .containsExactly(longs(c.getAsJsonObject().getAsJsonArray("expected_sequence")));
    }
  }

  private static Generator generator() {
    return new Generator(model, weights, manager);
  }

  private static long[] longs(JsonArray array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).getAsLong();
    }
    return out;
  }
}
