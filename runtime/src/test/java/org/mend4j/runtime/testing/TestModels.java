package org.mend4j.runtime.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the models and data the repository ships, from any module's working directory. */
public final class TestModels {

  private TestModels() {}

  /** The repository root (the directory holding {@code data/}). */
  public static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("data/reference"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root above " + Path.of(""));
    }
    return dir;
  }

  /**
   * tiny-random-gpt2's weights with the bpe-1000 fixture tokenizer (ids below 1000, end of text
   * 999), written into {@code dir}: a text model small enough for unit tests.
   */
  public static Path tinyWithTokenizer(Path dir) throws java.io.IOException {
    Path reference = tinyRandomGpt2();
    Path fixture = repoRoot().resolve("data/fixtures/bpe-1000");
    Files.writeString(
        dir.resolve("config.json"),
        Files.readString(reference.resolve("config.json"))
            .replace("\"eos_token_id\": 98", "\"eos_token_id\": 999"));
    Files.copy(reference.resolve("model.safetensors"), dir.resolve("model.safetensors"));
    Files.copy(fixture.resolve("vocab.json"), dir.resolve("vocab.json"));
    Files.copy(fixture.resolve("merges.txt"), dir.resolve("merges.txt"));
    return dir;
  }

  /** The shipped world GPT-2. */
  public static Path worldModel() {
    return repoRoot().resolve("models/world-gpt2");
  }

  /** The shipped MEND editor for the world GPT-2. */
  public static Path worldEditor() {
    return repoRoot().resolve("models/world-gpt2-mend");
  }

  /** HF's tiny-random-gpt2 with reference outputs (see its README). */
  public static Path tinyRandomGpt2() {
    return repoRoot().resolve("data/reference/tiny-random-gpt2");
  }
}
