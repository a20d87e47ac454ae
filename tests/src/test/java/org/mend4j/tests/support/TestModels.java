package org.mend4j.tests.support;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Model directories that demo-app can serve end to end, built under {@code target/test-models}.
 *
 * <p>The reference model has no tokenizer, so it is paired with the bpe-1000 fixture, whose ids all
 * fall inside its 1000-token vocabulary; its end-of-sequence token becomes the fixture's {@code
 * <|endoftext|>} (999), as a real GPT-2 checkpoint has it.
 */
public final class TestModels {

  /** The fixture tokenizer's {@code <|endoftext|>} id. */
  public static final int END_OF_TEXT = 999;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private TestModels() {}

  /**
   * tiny-random-gpt2's weights with a text tokenizer.
   *
   * @return the model directory, rebuilt on each call
   * @throws IOException if the sources cannot be copied
   */
  public static synchronized Path tinyWithTokenizer() throws IOException {
    Path dir = TestPaths.target().resolve("test-models/tiny-gpt2-bpe1000");
    Files.createDirectories(dir);
    Path reference = TestPaths.referenceModel();
    JsonObject config =
        JsonParser.parseString(Files.readString(reference.resolve("config.json")))
            .getAsJsonObject();
    config.addProperty("bos_token_id", END_OF_TEXT);
    config.addProperty("eos_token_id", END_OF_TEXT);
    config.addProperty("pad_token_id", END_OF_TEXT);
    Files.writeString(dir.resolve("config.json"), GSON.toJson(config));
    Files.copy(
        reference.resolve("model.safetensors"),
        dir.resolve("model.safetensors"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        TestPaths.tokenizerFixture().resolve("tokenizer.json"),
        dir.resolve("tokenizer.json"),
        StandardCopyOption.REPLACE_EXISTING);
    return dir;
  }

  /**
   * A copy of {@code model} (config and tokenizer files as they are) whose weight {@code tensor}
   * differs in one float32 value by {@code 0.01}: the same architecture, another checkpoint (a
   * replica of a mixed fleet), so edits computed for {@code model} that touch {@code tensor} match
   * none of its layers.
   *
   * @return the model directory under {@code target/test-models/NAME}, rebuilt on each call
   */
  public static synchronized Path sibling(Path model, String tensor, String name)
      throws IOException {
    Path dir = TestPaths.target().resolve("test-models/" + name);
    Files.createDirectories(dir);
    try (var files = Files.list(model)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    byte[] bytes = Files.readAllBytes(model.resolve("model.safetensors"));
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = (int) buffer.getLong(0);
    JsonObject header =
        JsonParser.parseString(new String(bytes, 8, headerLength, StandardCharsets.UTF_8))
            .getAsJsonObject();
    JsonObject info = header.getAsJsonObject(tensor);
    if (info == null || !info.get("dtype").getAsString().equals("F32")) {
      throw new IllegalArgumentException(model + " has no float32 tensor " + tensor);
    }
    int at = 8 + headerLength + info.getAsJsonArray("data_offsets").get(0).getAsInt();
    buffer.putFloat(at, buffer.getFloat(at) + 0.01f);
    Files.write(dir.resolve("model.safetensors"), bytes);
    return dir;
  }
}
