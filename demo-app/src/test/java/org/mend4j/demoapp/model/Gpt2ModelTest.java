package org.mend4j.demoapp.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mend4j.demoapp.Fixtures;
import org.mend4j.demoapp.generation.Generator;
import org.mend4j.demoapp.generation.NextToken;

/** The model against the outputs of the reference implementation for tiny-random-gpt2. */
class Gpt2ModelTest {

  private static NDManager manager;
  private static Gpt2Model model;
  private static JsonObject expected;

  @BeforeAll
  static void load() throws IOException {
    manager = NDManager.newBaseManager("PyTorch"); // loads the native library first
    JniUtils.setGradMode(false);
    model = CheckpointLoader.load(Fixtures.referenceDir(), manager);
    String json = Files.readString(Fixtures.referenceDir().resolve("expected.json"));
    expected = JsonParser.parseString(json).getAsJsonObject();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void greedyGenerationReproducesBothReferenceSequences() {
    JsonObject greedy = expected.getAsJsonObject("greedy");
    int maxLength = greedy.get("max_length").getAsInt();
    Generator generator = new Generator(model, manager);
    for (JsonElement c : greedy.getAsJsonArray("cases")) {
      long[] prompt = longs(c.getAsJsonObject().getAsJsonArray("input_ids"));
      long[] sequence = longs(c.getAsJsonObject().getAsJsonArray("expected_sequence"));
      long[] generated = generator.generate(prompt, maxLength - prompt.length, NextToken.greedy());
      assertThat(LongStream.concat(Arrays.stream(prompt), Arrays.stream(generated)).toArray())
          .containsExactly(sequence);
    }
  }

  @Test
  void promptLogitsMatchTheReferenceWithin1e4() {
    float[] logits = logits(new long[][] {{0, 0, 0, 52}, {0, 0, 195, 731}});
    assertEverySampledValue(logits, expected.getAsJsonObject("prompt_logits_sampled"));
  }

  @Test
  void firstGeneratedStepLogitsMatchTheReferenceWithin1e4() {
    try (NDManager m = manager.newSubManager()) {
      NDArray ids = m.create(new long[][] {{0, 0, 0, 52, 204}, {0, 0, 195, 731, 731}});
      NDArray all = forward(m, new NDList(ids)).get(0);
      float[] last = all.get(":, -1:, :").toFloatArray();
      assertEverySampledValue(
          last, expected.getAsJsonObject("first_generated_step_logits_sampled"));
    }
  }

  @Test
  void cachedDecodingGivesTheLogitsOfAFullRecompute() {
    long[] sequence = {0, 0, 195, 731, 731, 114, 114, 20, 5, 999};
    int[] chunks = {3, 1, 2, 1, 3};
    try (NDManager m = manager.newSubManager()) {
      float[] full =
          forward(m, new NDList(m.create(sequence, new Shape(1, 10)))).get(0).toFloatArray();
      List<Float> incremental = new ArrayList<>();
      NDList cache = new NDList();
      int start = 0;
      for (int chunk : chunks) {
        long[] piece = Arrays.copyOfRange(sequence, start, start + chunk);
        NDList inputs = new NDList(m.create(piece, new Shape(1, chunk)));
        inputs.addAll(cache);
        NDList out = forward(m, inputs);
        for (float f : out.get(0).toFloatArray()) {
          incremental.add(f);
        }
        cache = out.subNDList(1);
        start += chunk;
      }
      assertThat(cache.get(0).getShape()).isEqualTo(new Shape(1, 4, 10, 8));
      assertThat(incremental).hasSize(full.length);
      for (int i = 0; i < full.length; i++) {
        assertThat(incremental.get(i)).as("logit %d", i).isCloseTo(full[i], within(1e-5f));
      }
    }
  }

  @Test
  void theBlockTreeHoldsFourLinearProjectionsPerLayer() {
    List<String> linears = new ArrayList<>();
    collectLinears(model, "", linears);
    assertThat(linears).hasSize(4 * model.config().nLayer());
    assertThat(linears.get(0)).contains("attn").endsWith("c_attn");
    assertThat(linears.get(3)).contains("mlp").endsWith("c_proj");
  }

  private static void collectLinears(Block block, String path, List<String> out) {
    if (block instanceof Linear) {
      out.add(path);
    }
    block
        .getChildren()
        .forEach(child -> collectLinears(child.getValue(), path + "/" + child.getKey(), out));
  }

  @Test
  void sequencesLongerThanTheContextAreRefused() {
    try (NDManager m = manager.newSubManager()) {
      NDArray ids =
          m.zeros(
              new Shape(1, model.config().nPositions() + 1), ai.djl.ndarray.types.DataType.INT64);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> forward(m, new NDList(ids)))
          .hasMessageContaining("exceeds n_positions 512");
    }
  }

  private static float[] logits(long[][] ids) {
    try (NDManager m = manager.newSubManager()) {
      return forward(m, new NDList(m.create(ids))).get(0).toFloatArray();
    }
  }

  private static NDList forward(NDManager m, NDList inputs) {
    return model.forward(new ParameterStore(m, false), inputs, false);
  }

  private static void assertEverySampledValue(float[] logits, JsonObject sampled) {
    JsonArray values = sampled.getAsJsonArray("values");
    assertThat(values.size()).isEqualTo((logits.length + 199) / 200);
    for (int i = 0; i < values.size(); i++) {
      assertThat(logits[200 * i])
          .as("flat logit %d", 200 * i)
          .isCloseTo(values.get(i).getAsFloat(), within(1e-4f));
    }
  }

  private static long[] longs(JsonArray array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).getAsLong();
    }
    return out;
  }
}
