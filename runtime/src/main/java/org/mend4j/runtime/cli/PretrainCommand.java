package org.mend4j.runtime.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.mend4j.runtime.world.PretrainRecipe;
import org.mend4j.runtime.world.WorldPretraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mend4j pretrain}: trains a GPT-2 that knows the knowledge world. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    description =
        "Train an HF-compatible GPT-2 on the knowledge world's corpus; its loss curve goes to"
            + " --out/training-curves.csv and .png.")
final class PretrainCommand implements Runnable {

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "output checkpoint dir")
  Path out;

  @Option(names = "--seed", defaultValue = "1", description = "initialisation and shuffling seed")
  long seed;

  @Option(names = "--size", defaultValue = "demo", description = "demo or test (default: demo)")
  String size;

  @Option(
      names = "--data",
      defaultValue = "data/world",
      paramLabel = "DIR",
      description = "world data directory (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "1000",
      description = "steps between checkpoints")
  int checkpointEvery;

  @Override
  public void run() {
    PretrainRecipe recipe = PretrainRecipe.of(size);
    long start = System.nanoTime();
    double loss =
        new WorldPretraining(data, recipe, seed)
            .run(out, new ProgressBar("pretrain " + size), checkpointEvery);
    System.out.printf(
        Locale.ROOT,
        "wrote %s (final loss %.4f, %.0f s)%n",
        out,
        loss,
        (System.nanoTime() - start) / 1e9);
  }
}
