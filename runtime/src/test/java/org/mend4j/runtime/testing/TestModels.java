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

  /** HF's tiny-random-gpt2 with reference outputs (see its README). */
  public static Path tinyRandomGpt2() {
    return repoRoot().resolve("data/reference/tiny-random-gpt2");
  }
}
