package org.mend4j.demoapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the reference model and the tokenizer fixture. */
public final class Fixtures {

  private Fixtures() {}

  /** The tiny-random-gpt2 oracle: config.json, model.safetensors, expected.json. */
  public static Path referenceDir() {
    return Path.of(
        System.getProperty("mend4j.reference.dir", "../data/reference/tiny-random-gpt2"));
  }

  /** The bpe-1000 tokenizer fixture, whose ids fit the reference model (see its README). */
  public static Path tokenizerDir() {
    return Path.of(System.getProperty("mend4j.tokenizer.dir", "../data/fixtures/bpe-1000"));
  }

  /** Copies a file of the tokenizer fixture into a directory. */
  public static void copyTokenizerFile(String name, Path dir) {
    try {
      Files.copy(tokenizerDir().resolve(name), dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reference model plus the fixture's tokenizer.json (ids below its vocabulary of 1000). */
  public static Path tinyModelWithTokenizer(Path dir) throws IOException {
    Files.copy(referenceDir().resolve("config.json"), dir.resolve("config.json"));
    Files.copy(referenceDir().resolve("model.safetensors"), dir.resolve("model.safetensors"));
    copyTokenizerFile("tokenizer.json", dir);
    return dir;
  }
}
