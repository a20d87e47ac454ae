package org.mend4j.demoapp.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading checkpoints whose biases and LayerNorm parameters are not trivial (the reference model's
 * are all 0 and 1), checked against {@link NaiveGpt2}.
 */
class CheckpointLoaderTest {

  private static final int VOCAB = 40;
  private static final int POSITIONS = 16;
  private static final int WIDTH = 12;
  private static final int LAYERS = 2;
  private static final int HEADS = 3;
  private static final int INNER = 20;

  private static NDManager manager;

  @TempDir Path dir;

  @BeforeAll
  static void engine() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void untiedHeadWithoutPrefixGivesTheNaiveLogits() throws IOException {
    Map<String, float[]> weights = randomWeights(true, 1);
    write(weights, "");
    assertSameLogits(weights);
  }

  @Test
  void tiedHeadWithTransformerPrefixGivesTheNaiveLogits() throws IOException {
    Map<String, float[]> weights = randomWeights(false, 2);
    write(weights, "transformer.");
    assertSameLogits(weights);
  }

  @Test
  void projectionsAreDjlLinearBlocksHoldingTheTransposedConv1dWeights() throws IOException {
    Map<String, float[]> weights = randomWeights(false, 3);
    write(weights, "");
    float[] conv1d = weights.get("h.1.mlp.c_fc.weight"); // [in=WIDTH, out=INNER]
    try (NDManager m = manager.newSubManager()) {
      Gpt2Model model = CheckpointLoader.load(dir, m);
      Linear cFc = model.blocks().get(1).mlp().cFc();
      NDArray weight = cFc.getParameters().get("weight").getArray();
      assertThat(weight.getShape()).isEqualTo(new Shape(INNER, WIDTH));
      float[] values = weight.toFloatArray();
      for (int o = 0; o < INNER; o++) {
        for (int i = 0; i < WIDTH; i++) {
          assertThat(values[o * WIDTH + i]).isEqualTo(conv1d[i * INNER + o]);
        }
      }
      assertThat(model.blocks().get(0).attn().cAttn().getParameters().get("bias").getArray().size())
          .isEqualTo(3 * WIDTH);
    }
  }

  @Test
  void aMissingTensorIsNamed() throws IOException {
    Map<String, float[]> weights = randomWeights(false, 4);
    weights.remove("h.1.mlp.c_proj.bias");
    write(weights, "");
    assertThatThrownBy(() -> CheckpointLoader.load(dir, manager))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("no tensor 'h.1.mlp.c_proj.bias' (expected shape (12))");
  }

  @Test
  void aMisshapenTensorIsNamed() throws IOException {
    Map<String, float[]> weights = randomWeights(false, 5);
    write(weights, "");
    Files.writeString(dir.resolve("config.json"), config(9, INNER));
    assertThatThrownBy(() -> CheckpointLoader.load(dir, manager))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tensor 'wte.weight' has shape (40, 12), the config implies (40, 9)");
  }

  private void assertSameLogits(Map<String, float[]> weights) throws IOException {
    int[] ids = {3, 17, 0, 39, 8, 8, 21};
    float[][] expected = new NaiveGpt2(weights, VOCAB, WIDTH, LAYERS, HEADS, INNER).logits(ids);
    try (NDManager m = manager.newSubManager()) {
      Gpt2Model model = CheckpointLoader.load(dir, m);
      long[][] batch = {new long[ids.length]};
      for (int i = 0; i < ids.length; i++) {
        batch[0][i] = ids[i];
      }
      NDList out = model.forward(new ParameterStore(m, false), new NDList(m.create(batch)), false);
      float[] actual = out.get(0).toFloatArray();
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < VOCAB; v++) {
          assertThat(actual[t * VOCAB + v])
              .as("position %d, token %d", t, v)
              .isCloseTo(expected[t][v], within(1e-4f));
        }
      }
    }
  }

  private void write(Map<String, float[]> weights, String prefix) throws IOException {
    SafetensorsWriter writer = new SafetensorsWriter();
    for (Map.Entry<String, float[]> e : weights.entrySet()) {
      String name = e.getKey().startsWith("lm_head") ? e.getKey() : prefix + e.getKey();
      writer.f32(name, e.getValue(), shapeOf(e.getKey()));
    }
    writer.write(dir.resolve("model.safetensors"));
    Files.writeString(dir.resolve("config.json"), config(WIDTH, INNER));
  }

  private static String config(int width, int inner) {
    return String.format(
        "{\"vocab_size\": %d, \"n_positions\": %d, \"n_embd\": %d, \"n_layer\": %d,"
            + " \"n_head\": %d, \"n_inner\": %d, \"activation_function\": \"gelu_new\","
            + " \"layer_norm_epsilon\": 1e-5, \"future_field\": [1, 2]}",
        VOCAB, POSITIONS, width, LAYERS, HEADS, inner);
  }

  private static Map<String, float[]> randomWeights(boolean untiedHead, long seed) {
    Random random = new Random(seed);
    Map<String, float[]> w = new LinkedHashMap<>();
    w.put("wte.weight", gaussian(random, VOCAB * WIDTH, 0.5, 0));
    w.put("wpe.weight", gaussian(random, POSITIONS * WIDTH, 0.5, 0));
    for (int l = 0; l < LAYERS; l++) {
      String h = "h." + l + ".";
      w.put(h + "ln_1.weight", gaussian(random, WIDTH, 0.2, 1));
      w.put(h + "ln_1.bias", gaussian(random, WIDTH, 0.2, 0));
      w.put(h + "attn.c_attn.weight", gaussian(random, WIDTH * 3 * WIDTH, 0.3, 0));
      w.put(h + "attn.c_attn.bias", gaussian(random, 3 * WIDTH, 0.2, 0));
      w.put(h + "attn.c_proj.weight", gaussian(random, WIDTH * WIDTH, 0.3, 0));
      w.put(h + "attn.c_proj.bias", gaussian(random, WIDTH, 0.2, 0));
      w.put(h + "ln_2.weight", gaussian(random, WIDTH, 0.2, 1));
      w.put(h + "ln_2.bias", gaussian(random, WIDTH, 0.2, 0));
      w.put(h + "mlp.c_fc.weight", gaussian(random, WIDTH * INNER, 0.3, 0));
      w.put(h + "mlp.c_fc.bias", gaussian(random, INNER, 0.2, 0));
      w.put(h + "mlp.c_proj.weight", gaussian(random, INNER * WIDTH, 0.3, 0));
      w.put(h + "mlp.c_proj.bias", gaussian(random, WIDTH, 0.2, 0));
    }
    w.put("ln_f.weight", gaussian(random, WIDTH, 0.2, 1));
    w.put("ln_f.bias", gaussian(random, WIDTH, 0.2, 0));
    if (untiedHead) {
      w.put("lm_head.weight", gaussian(random, VOCAB * WIDTH, 0.5, 0));
    }
    return w;
  }

  private static long[] shapeOf(String name) {
    if (name.equals("wte.weight") || name.equals("lm_head.weight")) {
      return new long[] {VOCAB, WIDTH};
    }
    if (name.equals("wpe.weight")) {
      return new long[] {POSITIONS, WIDTH};
    }
    if (name.endsWith("c_attn.weight")) {
      return new long[] {WIDTH, 3 * WIDTH};
    }
    if (name.endsWith("c_attn.bias")) {
      return new long[] {3 * WIDTH};
    }
    if (name.endsWith("attn.c_proj.weight")) {
      return new long[] {WIDTH, WIDTH};
    }
    if (name.endsWith("c_fc.weight")) {
      return new long[] {WIDTH, INNER};
    }
    if (name.endsWith("c_fc.bias")) {
      return new long[] {INNER};
    }
    if (name.endsWith("mlp.c_proj.weight")) {
      return new long[] {INNER, WIDTH};
    }
    return new long[] {WIDTH};
  }

  private static float[] gaussian(Random random, int n, double scale, double mean) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (mean + scale * random.nextGaussian());
    }
    return values;
  }
}
