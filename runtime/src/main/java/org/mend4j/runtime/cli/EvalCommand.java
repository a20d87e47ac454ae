package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.eval.EditEvaluation;
import org.mend4j.runtime.eval.EditMethod;
import org.mend4j.runtime.eval.MendMethod;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.MendEditor;
import org.mend4j.runtime.mend.MendEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mend4j eval}: EasyEdit's edit metrics of MEND or of the fine-tuning baseline. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Reliability, generalization and locality (EasyEdit's definitions) and median edit time"
            + " over an EasyEdit-format dataset.")
final class EvalCommand implements Runnable {

  @Mixin ModelOption model;
  @Mixin EditorOption editor;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "edits to evaluate")
  Path data;

  @Option(names = "--method", defaultValue = "mend", description = "mend or ft (default: mend)")
  String method;

  @Option(names = "--limit", paramLabel = "N", description = "evaluate the first N edits only")
  Integer limit;

  @Option(
      names = "--sequential",
      paramLabel = "N",
      description = "apply N edits one after another, then score all N")
  Integer sequential;

  @Mixin FineTuneOptions fineTune;

  @Option(names = "--json", description = "print the figures as one JSON object")
  boolean json;

  @Override
  public void run() {
    Engines.singleThreaded();
    List<EditCase> cases = EasyEditJson.readEditCases(data);
    int n = sequential != null ? sequential : limit != null ? limit : cases.size();
    if (n <= 0 || n > cases.size()) {
      throw new IllegalArgumentException(
          "asked for " + n + " edits but " + data + " holds " + cases.size());
    }
    cases = cases.subList(0, n);
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model m = model.load(manager);
        MendEditor e = editor.load(m, manager)) {
      EditMethod editMethod =
          switch (method) {
            case "mend" -> new MendMethod(new MendEdits(m, e));
            case "ft" -> fineTune.method(m, e);
            default -> throw new IllegalArgumentException("--method must be mend or ft");
          };
      EditEvaluation evaluation = new EditEvaluation(m, editMethod, manager);
      Map<String, Object> result =
          sequential != null ? evaluation.sequential(cases) : evaluation.single(cases);
      System.out.println(json ? Json.write(result) : result.toString());
    }
  }
}
