package org.mend4j.runtime.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mend4j.runtime.world.World;
import org.mend4j.runtime.world.WorldData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mend4j world-data}: writes the knowledge world's facts, edit datasets and tokenizer. */
@Command(
    name = "world-data",
    mixinStandardHelpOptions = true,
    description = {
      "Generates the knowledge world from a seed and writes its facts (facts.json), EasyEdit"
          + " CounterFact edit datasets (edits-train/val/test.json), description (world.json),"
          + " pretraining corpus (corpus.txt) and GPT-2 BPE tokenizer (tokenizer/).",
      "Deterministic: the same seed writes the same bytes."
    })
public final class WorldDataCommand implements Callable<Integer> {

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("data", "world");

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "World seed (default: ${DEFAULT-VALUE}, the committed world).")
  long seed = World.DEFAULT_SEED;

  @Override
  public Integer call() throws Exception {
    World world = World.generate(seed);
    List<Path> files = WorldData.write(world, out);
    System.out.printf(
        "world seed %d: %d entities, %d facts, %d corpus sentences%n",
        seed, world.entities().size(), world.facts().size(), world.corpus().size());
    for (Path f : files) {
      System.out.println("wrote " + f);
    }
    return 0;
  }

  /** Runs the command on its own, until the {@code mend4j} launcher registers it. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new WorldDataCommand()).execute(args));
  }
}
