package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.data.FactRecord;
import org.mend4j.runtime.edit.EditComposition;
import org.mend4j.runtime.eval.EditEvaluation;
import org.mend4j.runtime.eval.EditMethod;
import org.mend4j.runtime.eval.MendMethod;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.KeyCovariance;
import org.mend4j.runtime.mend.MendEditor;
import org.mend4j.runtime.mend.MendEdits;
import org.mend4j.runtime.plot.MetricsPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mend4j eval}: EasyEdit's edit metrics of MEND or of the fine-tuning baseline. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Reliability, generalization, locality (EasyEdit's definitions), neighbourhood locality and"
            + " median edit time over an EasyEdit-format dataset.")
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
      paramLabel = "N[,N...]",
      split = ",",
      description =
          "make the first N edits one after another, each on the model the earlier ones left, then"
              + " score all N with every edit active (several N: one run each, a JSON array)")
  List<Integer> sequential;

  @Option(
      names = "--batch",
      paramLabel = "K",
      defaultValue = "1",
      description = "with --sequential: K requests per edit (default: 1)")
  int batch;

  @Option(
      names = "--composition",
      defaultValue = "least-squares",
      split = ",",
      description =
          "how active edits combine: least-squares (default) or sum (MEND's original); several:"
              + " one run each")
  List<String> composition;

  @Option(
      names = "--plot",
      paramLabel = "FILE",
      description = "draw the metrics against N as a PNG (with --sequential)")
  Path plot;

  @Option(
      names = "--lambda",
      paramLabel = "L",
      description = "least squares: weight of preserved inputs (default: the editor's)")
  Float lambda;

  @Option(
      names = "--gate",
      paramLabel = "TAU",
      description = "least squares: the rows' gate, 0 for none (default: the editor's)")
  Float gate;

  @Option(
      names = "--gates",
      defaultValue = "per-input",
      description =
          "mend: how composed rows apply when evaluated: per-input (default, as a host built from"
              + " DJL blocks applies them) or open (every row to every input, as a TorchScript host"
              + " or a merged checkpoint computes)")
  String gates;

  @Option(
      names = "--passes",
      paramLabel = "P",
      defaultValue = "" + MendEdits.DEFAULT_PASSES,
      description =
          "mend: at most P editor passes per edit, while its target is not yet the answer"
              + " (default: ${DEFAULT-VALUE}; 1: plain MEND)")
  int passes;

  @Option(
      names = "--facts",
      paramLabel = "FILE",
      description = "the world's facts, for locality probes (default: facts.json beside --data)")
  Path facts;

  @Mixin FineTuneOptions fineTune;

  @Option(names = "--json", description = "print the figures as JSON")
  boolean json;

  private boolean gatesOpen() {
    return switch (gates) {
      case "per-input" -> false;
      case "open" -> true;
      default ->
          throw new IllegalArgumentException(
              "--gates must be per-input or open, got '" + gates + "'");
    };
  }

  @Override
  public void run() {
    List<EditCase> dataset = EasyEditJson.readEditCases(data);
    List<Integer> sizes =
        sequential != null ? sequential : List.of(limit != null ? limit : dataset.size());
    for (int n : sizes) {
      if (n <= 0 || n > dataset.size()) {
        throw new IllegalArgumentException(
            "asked for " + n + " edits but " + data + " holds " + dataset.size());
      }
    }
    if (batch <= 0) {
      throw new IllegalArgumentException("--batch must be positive, got " + batch);
    }
    Map<String, EditComposition.Mode> modes = new LinkedHashMap<>();
    for (String c : composition) {
      modes.put(
          c,
          switch (c) {
            case "least-squares" -> EditComposition.Mode.LEAST_SQUARES;
            case "sum" -> EditComposition.Mode.SUM;
            default ->
                throw new IllegalArgumentException(
                    "--composition must be least-squares or sum, got '" + c + "'");
          });
    }
    if (plot != null && sequential == null) {
      throw new IllegalArgumentException("--plot draws metrics against N: give --sequential");
    }
    Path factsFile = facts != null ? facts : data.resolveSibling("facts.json");
    List<FactRecord> world =
        facts != null || Files.isRegularFile(factsFile) ? FactRecord.read(factsFile) : List.of();
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model m = model.load(manager);
        MendEditor e = editor.load(m, manager)) {
      if (lambda != null || gate != null) {
        KeyCovariance k =
            e.keyCovariance()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--lambda and --gate need an editor with key statistics (mend4j"
                                + " key-covariance)"));
        e.keyCovariance(
            k.with(lambda != null ? lambda : k.lambda(), gate != null ? gate : k.gate()));
      }
      List<Map<String, Object>> results = new ArrayList<>();
      Map<String, List<Map<String, Object>>> byRun = new LinkedHashMap<>();
      for (Map.Entry<String, EditComposition.Mode> mode : modes.entrySet()) {
        EditMethod editMethod =
            switch (method) {
              case "mend" ->
                  new MendMethod(new MendEdits(m, e), mode.getValue(), passes, gatesOpen());
              case "ft" -> fineTune.method(m, e);
              default -> throw new IllegalArgumentException("--method must be mend or ft");
            };
        EditEvaluation evaluation = new EditEvaluation(m, editMethod, world, dataset, manager);
        String label =
            method.equals("mend") ? mode.getKey() + (gatesOpen() ? ", gates open" : "") : method;
        for (int n : sizes) {
          List<EditCase> cases = dataset.subList(0, n);
          Map<String, Object> r =
              sequential != null ? evaluation.sequential(cases, batch) : evaluation.single(cases);
          results.add(r);
          byRun.computeIfAbsent(label, k -> new ArrayList<>()).add(r);
        }
      }
      if (plot != null) {
        MetricsPlot.write(
            byRun,
            "Edits active at once on "
                + data.getFileName()
                + (batch > 1 ? " (" + batch + " requests per edit)" : ""),
            plot);
      }
      Object out = results.size() == 1 ? results.get(0) : results;
      System.out.println(json ? Json.write(out) : out.toString());
    }
  }
}
