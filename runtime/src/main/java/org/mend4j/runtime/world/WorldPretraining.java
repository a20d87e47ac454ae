package org.mend4j.runtime.world;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mend4j.runtime.gpt2.Gpt2Checkpoint;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Init;
import org.mend4j.runtime.gpt2.Gpt2Weights;
import org.mend4j.runtime.gpt2.tokenizer.Tokenizer;
import org.mend4j.runtime.plot.TrainingCurves;
import org.mend4j.runtime.train.LmTrainer;
import org.mend4j.runtime.train.TrainingListener;

/**
 * Trains a world GPT-2 from the world's data directory ({@code corpus.txt} and {@code tokenizer/})
 * and writes an HF checkpoint directory that standard GPT-2 loaders read, with its loss curve
 * beside it ({@link TrainingCurves}: {@code training-curves.csv} and {@code .png}).
 */
public final class WorldPretraining {

  private static final List<String> TOKENIZER_FILES =
      List.of("vocab.json", "merges.txt", "tokenizer.json");

  private final Path dataDir;
  private final PretrainRecipe recipe;
  private final long seed;

  /** Pretraining on the world files in {@code dataDir}. */
  public WorldPretraining(Path dataDir, PretrainRecipe recipe, long seed) {
    this.dataDir = dataDir;
    this.recipe = recipe;
    this.seed = seed;
  }

  /**
   * Trains and writes the model to {@code out}, with checkpoints every {@code checkpointEvery}
   * steps.
   *
   * @return the final mean training loss
   */
  public double run(Path out, TrainingListener listener, int checkpointEvery) {
    Tokenizer tokenizer = Tokenizer.forModel(dataDir.resolve("tokenizer"));
    List<long[]> sequences = encode(tokenizer, corpus());
    Gpt2Config config = recipe.config(tokenizer.vocabSize(), tokenizer.endOfTextId());
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights weights = Gpt2Init.initialize(config, seed, manager)) {
      LmTrainer trainer = new LmTrainer(weights, recipe.options(seed));
      TrainingCurves curves = new TrainingCurves(out, "world GPT-2 pretraining", listener);
      double loss =
          trainer.train(
              sequences,
              curves,
              step -> {
                save(weights, out);
                curves.write();
              },
              checkpointEvery);
      save(weights, out);
      curves.write();
      return loss;
    }
  }

  /** The corpus sentences this recipe trains on: every fact's, or those of a leading share. */
  List<String> corpus() {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("corpus.txt"));
      int keep = (int) Math.ceil(lines.size() * recipe.corpusFraction());
      return lines.subList(0, keep);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the world corpus in " + dataDir, e);
    }
  }

  private static List<long[]> encode(Tokenizer tokenizer, List<String> sentences) {
    List<long[]> out = new ArrayList<>();
    for (String s : sentences) {
      out.add(Arrays.stream(tokenizer.encode(s)).asLongStream().toArray());
    }
    return out;
  }

  private void save(Gpt2Weights weights, Path out) {
    Gpt2Checkpoint.save(weights.config(), weights.tensors(), out);
    try {
      for (String file : TOKENIZER_FILES) {
        Files.copy(
            dataDir.resolve("tokenizer").resolve(file),
            out.resolve(file),
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the tokenizer into " + out, e);
    }
  }
}
