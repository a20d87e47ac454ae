package org.mend4j.tests.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.mend4j.tests.support.TestModels;
import org.mend4j.tests.support.TestPaths;

/**
 * Writes a randomly initialised checkpoint with GPT-2 small's body (12 layers, 768 wide, 12 heads,
 * 1024 positions) and the bpe-1000 fixture tokenizer, so throughput can be measured at a realistic
 * size without downloadable weights. Only the LM head is smaller than GPT-2's (1000 tokens, not
 * 50257).
 */
final class RandomGpt2Checkpoint {

  private static final int VOCAB = 1000;
  private static final int POSITIONS = 1024;
  private static final int WIDTH = 768;
  private static final int LAYERS = 12;
  private static final int HEADS = 12;

  private RandomGpt2Checkpoint() {}

  /** Builds the directory once under {@code target/test-models} and returns it. */
  static Path gpt2SmallBody() throws IOException {
    Path dir = TestPaths.target().resolve("test-models/gpt2-small-body-bpe1000");
    if (Files.isRegularFile(dir.resolve("model.safetensors"))) {
      return dir;
    }
    Files.createDirectories(dir);
    Map<String, long[]> shapes = shapes();
    JsonObject header = new JsonObject();
    long offset = 0;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long bytes = 4 * count(e.getValue());
      JsonObject info = new JsonObject();
      info.addProperty("dtype", "F32");
      JsonArray shape = new JsonArray();
      for (long d : e.getValue()) {
        shape.add(d);
      }
      info.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offsets.add(offset + bytes);
      info.add("data_offsets", offsets);
      header.add(e.getKey(), info);
      offset += bytes;
    }
    Path tmp = dir.resolve("model.safetensors.tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
      ByteBuffer head = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
      head.putLong(json.length).put(json).flip();
      out.write(head);
      SplittableRandom random = new SplittableRandom(2019);
      for (Map.Entry<String, long[]> e : shapes.entrySet()) {
        writeTensor(out, e.getKey(), count(e.getValue()), random);
      }
    }
    Files.move(tmp, dir.resolve("model.safetensors"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(
        dir.resolve("config.json"),
        String.format(
            "{\"model_type\": \"gpt2\", \"vocab_size\": %d, \"n_positions\": %d, \"n_embd\": %d,"
                + " \"n_layer\": %d, \"n_head\": %d, \"n_inner\": null,"
                + " \"activation_function\": \"gelu_new\", \"layer_norm_epsilon\": 1e-5,"
                + " \"bos_token_id\": %d, \"eos_token_id\": %d}",
            VOCAB,
            POSITIONS,
            WIDTH,
            LAYERS,
            HEADS,
            TestModels.END_OF_TEXT,
            TestModels.END_OF_TEXT));
    Files.copy(
        TestPaths.tokenizerFixture().resolve("tokenizer.json"),
        dir.resolve("tokenizer.json"),
        StandardCopyOption.REPLACE_EXISTING);
    return dir;
  }

  private static Map<String, long[]> shapes() {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("wte.weight", new long[] {VOCAB, WIDTH});
    shapes.put("wpe.weight", new long[] {POSITIONS, WIDTH});
    for (int l = 0; l < LAYERS; l++) {
      String h = "h." + l + ".";
      shapes.put(h + "ln_1.weight", new long[] {WIDTH});
      shapes.put(h + "ln_1.bias", new long[] {WIDTH});
      shapes.put(h + "attn.c_attn.weight", new long[] {WIDTH, 3 * WIDTH});
      shapes.put(h + "attn.c_attn.bias", new long[] {3 * WIDTH});
      shapes.put(h + "attn.c_proj.weight", new long[] {WIDTH, WIDTH});
      shapes.put(h + "attn.c_proj.bias", new long[] {WIDTH});
      shapes.put(h + "ln_2.weight", new long[] {WIDTH});
      shapes.put(h + "ln_2.bias", new long[] {WIDTH});
      shapes.put(h + "mlp.c_fc.weight", new long[] {WIDTH, 4 * WIDTH});
      shapes.put(h + "mlp.c_fc.bias", new long[] {4 * WIDTH});
      shapes.put(h + "mlp.c_proj.weight", new long[] {4 * WIDTH, WIDTH});
      shapes.put(h + "mlp.c_proj.bias", new long[] {WIDTH});
    }
    shapes.put("ln_f.weight", new long[] {WIDTH});
    shapes.put("ln_f.bias", new long[] {WIDTH});
    return shapes;
  }

  /** LayerNorm weights 1, biases 0, other weights N(0, 0.02) as GPT-2 initialises them. */
  private static void writeTensor(FileChannel out, String name, long n, SplittableRandom random)
      throws IOException {
    boolean norm = name.contains("ln_");
    float constant = norm && name.endsWith(".weight") ? 1f : 0f;
    boolean randomValues = !norm && name.endsWith(".weight");
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < n; i++) {
      buffer.putFloat(randomValues ? (float) (0.02 * gaussian(random)) : constant);
      if (!buffer.hasRemaining()) {
        out.write(buffer.flip());
        buffer.clear();
      }
    }
    out.write(buffer.flip());
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
