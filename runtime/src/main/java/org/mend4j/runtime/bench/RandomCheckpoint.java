package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.mend4j.runtime.gpt2.Gpt2Checkpoint;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Init;
import org.mend4j.runtime.gpt2.Gpt2Weights;

/**
 * A randomly initialised GPT-2 written as an HF checkpoint directory, so whole {@code mend4j}
 * processes can run a model of GPT-2's real size where no published weights can be fetched. It has
 * no tokenizer files: the runtime then uses GPT-2's own encoding, which fits the vocabulary of
 * 50257.
 */
final class RandomCheckpoint {

  private RandomCheckpoint() {}

  /**
   * The checkpoint of {@code config} initialised with {@code seed} in {@code dir}: written once
   * (into a sibling directory renamed when complete), reused while its config matches.
   */
  static Path at(Path dir, Gpt2Config config, long seed) {
    Path configFile = dir.resolve(Gpt2Checkpoint.CONFIG_FILE);
    if (Files.isRegularFile(dir.resolve(Gpt2Checkpoint.WEIGHTS_FILE))
        && Files.isRegularFile(configFile)
        && Gpt2Config.read(configFile).equals(config)) {
      return dir;
    }
    try {
      Path parent = dir.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path partial = Files.createTempDirectory(parent, dir.getFileName() + ".partial");
      try (NDManager manager = NDManager.newBaseManager();
          Gpt2Weights weights = Gpt2Init.initialize(config, seed, manager)) {
        Gpt2Checkpoint.save(config, weights.tensors(), partial);
      }
      if (Files.exists(dir)) {
        try (var old = Files.list(dir)) {
          for (Path p : old.toList()) {
            Files.delete(p);
          }
        }
        Files.delete(dir);
      }
      Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the random checkpoint " + dir, e);
    }
  }
}
