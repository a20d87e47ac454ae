package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.EditorTraining;
import org.mend4j.runtime.mend.MendHparams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mend4j train-editor}: MEND meta-training of an editor for a model. */
@Command(
    name = "train-editor",
    mixinStandardHelpOptions = true,
    description =
        "Meta-train a MEND editor on EasyEdit-format edits; keeps the best editor (validation"
            + " loss) in --out and resumes from --out/checkpoint when rerun; its curves go to"
            + " --out/training-curves.csv and .png.")
final class TrainEditorCommand implements Runnable {

  @Mixin ModelOption model;

  @Option(names = "--data", required = true, paramLabel = "TRAIN.json", description = "train edits")
  Path data;

  @Option(
      names = "--val",
      required = true,
      paramLabel = "VAL.json",
      description = "validation edits")
  Path val;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "editor directory")
  Path out;

  @Option(names = "--hparams", paramLabel = "FILE", description = "JSON hparams (reference names)")
  Path hparams;

  @Override
  public void run() {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model m = model.load(manager)) {
      MendHparams defaults = MendHparams.defaults(m.config());
      MendHparams h = hparams == null ? defaults : MendHparams.read(hparams, defaults);
      EditorTraining.Result result =
          new EditorTraining(
                  m, h, EasyEditJson.readEditCases(data), EasyEditJson.readEditCases(val), out)
              .run(new ProgressBar("train-editor"), line -> System.err.println("\n" + line));
      System.out.println(Json.write(EditorTraining.summary(result)));
    }
  }
}
