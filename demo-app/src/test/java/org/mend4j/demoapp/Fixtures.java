package org.mend4j.demoapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where the tests find the reference model and the tokenizer fixture. */
public final class Fixtures {

  private Fixtures() {}

  /** The tiny-random-gpt2 oracle: config.json, model.safetensors, expected.json. */
  public static Path referenceDir() {
    return Path.of(
        System.getProperty("mend4j.reference.dir", "../data/reference/tiny-random-gpt2"));
  }

  /** Copies a file of the tokenizer fixture (src/test/resources/tokenizer) into a directory. */
  public static void copyTokenizerFile(String name, Path dir) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/tokenizer/" + name)) {
      Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
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
