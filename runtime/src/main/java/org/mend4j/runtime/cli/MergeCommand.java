package org.mend4j.runtime.cli;

import java.nio.file.Path;
import java.util.List;
import org.mend4j.runtime.edit.EditDirectory;
import org.mend4j.runtime.merge.CheckpointMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mend4j merge}: writes a checkpoint with edits baked into its weights. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = {
      "Write a complete HF checkpoint (config, model.safetensors in the input's names and dtypes,"
          + " tokenizer files) with the composed edits baked into its weights, and"
          + " mend4j-merge.json listing them.",
      "The edits are composed as generate --edit composes them; the composition's gates cannot"
          + " live in a dense weight, so the merged weights apply every composed row to every"
          + " input (the command says how many rows were gated)."
    })
final class MergeCommand implements Runnable {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "the HF GPT-2 checkpoint the edits were made for")
  Path model;

  @Option(
      names = "--edit",
      paramLabel = "FILE",
      description = "an edit file (repeatable; composed in order)")
  List<Path> files = List.of();

  @Option(
      names = "--edits",
      paramLabel = "DIR",
      description =
          "an agent's edits directory: its enabled edits, in the agent's order (state.json;"
              + " files it does not list count as enabled: the agent's edits.disabled setting is"
              + " not known here)")
  Path agentDir;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "new directory")
  Path out;

  @Override
  public void run() {
    if (agentDir != null && !files.isEmpty()) {
      throw new IllegalArgumentException("give --edit FILE... or --edits DIR, not both");
    }
    List<Path> edits =
        agentDir == null
            ? files
            : EditDirectory.read(agentDir).stream()
                .filter(EditDirectory.Entry::enabled)
                .map(EditDirectory.Entry::file)
                .toList();
    if (edits.isEmpty()) {
      throw new IllegalArgumentException(
          agentDir == null
              ? "nothing to merge: give --edit FILE (repeatable) or --edits DIR"
              : "nothing to merge: " + agentDir + " has no enabled edit");
    }
    CheckpointMerge.Result result = CheckpointMerge.merge(model, edits, out);
    System.out.printf(
        "merged %d edit%s into %s: %d weights changed, copied %s%n",
        result.edits().size(),
        result.edits().size() == 1 ? "" : "s",
        out,
        result.weights().size(),
        String.join(", ", result.copied()));
    for (CheckpointMerge.WeightChange w : result.weights()) {
      System.out.printf(
          "  %s %s: %d rows (%d gated)%n", w.name(), w.dtype(), w.rows(), w.gatedRows());
    }
    if (result.gatedRows() > 0) {
      System.out.printf(
          "note: %d composed rows are gated (applied only where an input projects on their key);"
              + " the merged weights apply them to every input, so prompts far from the edits can"
              + " differ slightly from generate --edit%n",
          result.gatedRows());
    }
  }
}
