package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.mend4j.runtime.data.FactRecord;
import org.mend4j.runtime.eval.WorldEval;
import org.mend4j.runtime.gpt2.Gpt2Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mend4j world-eval}: how much of the knowledge world a model knows. */
@Command(
    name = "world-eval",
    mixinStandardHelpOptions = true,
    description =
        "Greedy exact match of every world fact's object after its pretraining prompts"
            + " (fact_accuracy) and after its held-out paraphrase (paraphrase_accuracy).")
final class WorldEvalCommand implements Runnable {

  @Mixin ModelOption model;

  @Option(
      names = "--data",
      defaultValue = "data/world/facts.json",
      paramLabel = "FILE",
      description = "facts file (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--json", description = "print the figures as one JSON object")
  boolean json;

  @Override
  public void run() {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model m = model.load(manager)) {
      Map<String, Object> result = WorldEval.evaluate(m, FactRecord.read(data), manager);
      System.out.println(json ? Json.write(result) : result.toString());
    }
  }
}
