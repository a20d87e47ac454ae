package org.mend4j.tests.support;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
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
}
