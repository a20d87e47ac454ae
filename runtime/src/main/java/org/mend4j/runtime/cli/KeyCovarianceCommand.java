package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.KeyCovariance;
import org.mend4j.runtime.mend.MendEditor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mend4j key-covariance}: estimates the statistics that make an editor's edits composable
 * and writes them into the editor directory.
 */
@Command(
    name = "key-covariance",
    mixinStandardHelpOptions = true,
    description =
        "Estimate the inner layers' input covariance on text the model must keep (the prompts of"
            + " an EasyEdit dataset with their true answers) and write "
            + KeyCovariance.FILE
            + " into the editor directory, so that many edits compose instead of adding up.")
final class KeyCovarianceCommand implements Runnable {

  @Mixin ModelOption model;
  @Mixin EditorOption editor;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description =
          "EasyEdit dataset whose prompts are the text to keep (the editor's train split)")
  Path data;

  @Option(
      names = "--positions",
      defaultValue = "last",
      description = "last (each prompt's answer position, default) or all (every token)")
  String positions;

  @Option(names = "--lambda", defaultValue = "2", description = "default: ${DEFAULT-VALUE}")
  float lambda;

  @Option(
      names = "--gate",
      defaultValue = "0.7",
      description = "tau of the edits' row gates, 0 for none (default: ${DEFAULT-VALUE})")
  float gate;

  @Option(names = "--eps", defaultValue = "0.05", description = "default: ${DEFAULT-VALUE}")
  double eps;

  @Override
  public void run() {
    KeyCovariance.Positions where =
        switch (positions) {
          case "last" -> KeyCovariance.Positions.LAST;
          case "all" -> KeyCovariance.Positions.ALL;
          default -> throw new IllegalArgumentException("--positions must be last or all");
        };
    List<String> texts = new ArrayList<>();
    for (EditCase c : EasyEditJson.readEditCases(data)) {
      boolean last = where == KeyCovariance.Positions.LAST;
      texts.add(last ? c.prompt() : c.prompt() + " " + c.groundTruth());
      texts.add(last ? c.rephrasePrompt() : c.rephrasePrompt() + " " + c.groundTruth());
      texts.add(last ? c.localityPrompt() : c.localityPrompt() + " " + c.localityGroundTruth());
    }
    List<String> inner = MendEditor.innerParams(editor.dir);
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model m = model.load(manager)) {
      long start = System.nanoTime();
      KeyCovariance stats = KeyCovariance.estimate(m, inner, texts, where, eps, lambda, gate);
      stats.save(editor.dir);
      System.out.printf(
          "wrote %s (%s) in %.1f s%n",
          editor.dir.resolve(KeyCovariance.FILE),
          stats.description(),
          (System.nanoTime() - start) / 1e9);
    }
  }
}
