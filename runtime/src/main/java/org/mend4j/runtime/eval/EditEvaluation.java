package org.mend4j.runtime.eval;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Params;

/**
 * EasyEdit's metrics of an editing method on a dataset: reliability (token accuracy of {@code
 * target_new} after the prompt), generalisation (the same after the rephrased prompt) and locality
 * (share of the locality answer's argmax tokens the edit left unchanged), with the median time to
 * make an edit. Single edits start from the base model each time; sequential editing applies N
 * edits one after another and scores all N at the end.
 */
public final class EditEvaluation {

  private final Gpt2Model model;
  private final EditMethod method;
  private final TargetScorer scorer;
  private final NDManager root;

  /** Evaluates {@code method} on {@code model}. */
  public EditEvaluation(Gpt2Model model, EditMethod method, NDManager root) {
    this.model = model;
    this.method = method;
    this.root = root;
    this.scorer = new TargetScorer(model.function(), model.tokenizer(), root);
  }

  /** Each case edited alone on the base model. */
  public Map<String, Object> single(List<EditCase> cases) {
    List<Double> reliability = new ArrayList<>();
    List<Double> generalization = new ArrayList<>();
    List<Double> locality = new ArrayList<>();
    double[] millis = new double[cases.size()];
    List<TargetScorer.Scored> before = scorer.score(localityPairs(cases), model.weights());
    for (int i = 0; i < cases.size(); i++) {
      EditCase c = cases.get(i);
      try (NDManager edit = root.newSubManager()) {
        long start = System.nanoTime();
        Gpt2Params edited = method.apply(c, model.weights(), edit);
        millis[i] = (System.nanoTime() - start) / 1e6;
        List<TargetScorer.Scored> after =
            scorer.score(
                List.of(
                    new PromptTarget(c.prompt(), c.targetNew()),
                    new PromptTarget(c.rephrasePrompt(), c.targetNew()),
                    localityPair(c)),
                edited);
        reliability.add(after.get(0).accuracy());
        generalization.add(after.get(1).accuracy());
        locality.add(unchanged(before.get(i), after.get(2)));
      }
    }
    return result(cases.size(), reliability, generalization, locality, millis);
  }

  /** The first {@code n} cases edited one after another, all scored with every edit applied. */
  public Map<String, Object> sequential(List<EditCase> cases) {
    double[] millis = new double[cases.size()];
    List<TargetScorer.Scored> before = scorer.score(localityPairs(cases), model.weights());
    try (NDManager edits = root.newSubManager()) {
      Gpt2Params current = model.weights();
      for (int i = 0; i < cases.size(); i++) {
        long start = System.nanoTime();
        current = method.apply(cases.get(i), current, edits);
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      List<PromptTarget> rewrite = new ArrayList<>();
      List<PromptTarget> rephrase = new ArrayList<>();
      for (EditCase c : cases) {
        rewrite.add(new PromptTarget(c.prompt(), c.targetNew()));
        rephrase.add(new PromptTarget(c.rephrasePrompt(), c.targetNew()));
      }
      List<Double> locality = new ArrayList<>();
      List<TargetScorer.Scored> after = scorer.score(localityPairs(cases), current);
      for (int i = 0; i < cases.size(); i++) {
        locality.add(unchanged(before.get(i), after.get(i)));
      }
      return result(
          cases.size(),
          scorer.score(rewrite, current).stream().map(TargetScorer.Scored::accuracy).toList(),
          scorer.score(rephrase, current).stream().map(TargetScorer.Scored::accuracy).toList(),
          locality,
          millis);
    }
  }

  private static List<PromptTarget> localityPairs(List<EditCase> cases) {
    return cases.stream().map(EditEvaluation::localityPair).toList();
  }

  private static PromptTarget localityPair(EditCase c) {
    return new PromptTarget(c.localityPrompt(), c.localityGroundTruth());
  }

  private static double unchanged(TargetScorer.Scored before, TargetScorer.Scored after) {
    int same = 0;
    for (int i = 0; i < before.predicted().length; i++) {
      same += before.predicted()[i] == after.predicted()[i] ? 1 : 0;
    }
    return (double) same / before.predicted().length;
  }

  private Map<String, Object> result(
      int n, List<Double> rel, List<Double> gen, List<Double> loc, double[] millis) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", n);
    out.put("reliability", mean(rel));
    out.put("generalization", mean(gen));
    out.put("locality", mean(loc));
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    out.put("edit_ms_median", sorted.length == 0 ? 0 : sorted[sorted.length / 2]);
    out.put("method", method.name());
    return out;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
