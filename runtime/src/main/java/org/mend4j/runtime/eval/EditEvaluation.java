package org.mend4j.runtime.eval;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.data.FactRecord;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Params;

/**
 * EasyEdit's metrics of an editing method on a dataset: reliability (token accuracy of {@code
 * target_new} after the prompt), generalisation (the same after the rephrased prompt) and locality
 * (share of an unrelated answer's argmax tokens the edits left unchanged), with neighbourhood
 * locality (the same on the edited subjects' other facts) and the median time to make an edit.
 *
 * <p>Single edits start from the base model each time and take locality from the record itself. A
 * sequential run makes N edits one batch after another, each on the model the earlier ones left,
 * and scores them with every edit active: reliability and generalisation over the latest edit of
 * each fact (a dataset may edit one fact several times, with different targets and prompts; an
 * earlier edit of a fact that a later one edits again is superseded, as when a service is told a
 * fact changed twice: its target is no longer wanted, though the edit stays active); locality and
 * neighbourhood on {@link LocalityProbes}, so that no locality prompt is a fact an active edit
 * changes.
 */
public final class EditEvaluation {

  private final Gpt2Model model;
  private final EditMethod method;
  private final TargetScorer scorer;
  private final NDManager root;
  private final LocalityProbes probes;

  /**
   * Evaluates {@code method} on {@code model}, with locality probes from the world's {@code facts}
   * (empty: the records' own locality prompts) for edits drawn from {@code dataset}.
   */
  public EditEvaluation(
      Gpt2Model model,
      EditMethod method,
      List<FactRecord> facts,
      List<EditCase> dataset,
      NDManager root) {
    this.model = model;
    this.method = method;
    this.root = root;
    this.scorer = new TargetScorer(model.function(), model.tokenizer(), root);
    this.probes = new LocalityProbes(facts, dataset);
  }

  /** Each case edited alone on the base model. */
  public Map<String, Object> single(List<EditCase> cases) {
    List<Double> reliability = new ArrayList<>();
    List<Double> generalization = new ArrayList<>();
    List<Double> locality = new ArrayList<>();
    List<Double> neighbourhood = new ArrayList<>();
    double[] millis = new double[cases.size()];
    List<TargetScorer.Scored> before = scorer.score(localityPairs(cases), model.weights());
    for (int i = 0; i < cases.size(); i++) {
      EditCase c = cases.get(i);
      List<PromptTarget> near = probes.neighbourhood(List.of(c));
      List<TargetScorer.Scored> nearBefore = scorer.score(near, model.weights());
      try (NDManager edit = root.newSubManager()) {
        long start = System.nanoTime();
        EditMethod.Run run = method.start(model.weights(), edit);
        run.add(List.of(c));
        millis[i] = (System.nanoTime() - start) / 1e6;
        List<PromptTarget> pairs = new ArrayList<>();
        pairs.add(new PromptTarget(c.prompt(), c.targetNew()));
        pairs.add(new PromptTarget(c.rephrasePrompt(), c.targetNew()));
        pairs.add(localityPair(c));
        pairs.addAll(near);
        List<TargetScorer.Scored> after = scorer.score(pairs, run.params());
        reliability.add(after.get(0).accuracy());
        generalization.add(after.get(1).accuracy());
        locality.add(unchanged(before.get(i), after.get(2)));
        for (int j = 0; j < near.size(); j++) {
          neighbourhood.add(unchanged(nearBefore.get(j), after.get(3 + j)));
        }
      }
    }
    Map<String, Object> out =
        result(cases.size(), reliability, generalization, locality, neighbourhood, millis);
    out.put("locality_records", locality.size());
    return out;
  }

  /**
   * The cases edited {@code batch} at a time, one batch after another, all scored with every edit
   * active.
   */
  public Map<String, Object> sequential(List<EditCase> cases, int batch) {
    List<PromptTarget> unrelated = probes.locality(cases);
    List<PromptTarget> near = probes.neighbourhood(cases);
    List<TargetScorer.Scored> unrelatedBefore = scorer.score(unrelated, model.weights());
    List<TargetScorer.Scored> nearBefore = scorer.score(near, model.weights());
    List<EditCase> latest = latestPerFact(cases);
    int batches = (cases.size() + batch - 1) / batch;
    double[] millis = new double[batches];
    try (NDManager edits = root.newSubManager()) {
      EditMethod.Run run = method.start(model.weights(), edits);
      for (int b = 0; b < batches; b++) {
        long start = System.nanoTime();
        run.add(cases.subList(b * batch, Math.min(cases.size(), (b + 1) * batch)));
        millis[b] = (System.nanoTime() - start) / 1e6;
      }
      Gpt2Params current = run.params();
      List<PromptTarget> rewrite = new ArrayList<>();
      List<PromptTarget> rephrase = new ArrayList<>();
      for (EditCase c : latest) {
        rewrite.add(new PromptTarget(c.prompt(), c.targetNew()));
        rephrase.add(new PromptTarget(c.rephrasePrompt(), c.targetNew()));
      }
      Map<String, Object> out =
          result(
              cases.size(),
              accuracies(scorer.score(rewrite, current)),
              accuracies(scorer.score(rephrase, current)),
              unchangedAll(unrelatedBefore, scorer.score(unrelated, current)),
              unchangedAll(nearBefore, scorer.score(near, current)),
              millis);
      out.put("batch", batch);
      out.put("scored_records", latest.size());
      out.put("superseded", cases.size() - latest.size());
      out.put("locality_records", unrelated.size());
      out.put("locality_source", probes.hasFacts() ? "val-split facts" : "records");
      return out;
    }
  }

  /** The last case of each fact (subject and held-out paraphrase), in order. */
  private static List<EditCase> latestPerFact(List<EditCase> cases) {
    Map<String, EditCase> last = new LinkedHashMap<>();
    for (EditCase c : cases) {
      String fact = c.subject() + "\n" + c.rephrasePrompt();
      last.remove(fact);
      last.put(fact, c);
    }
    return List.copyOf(last.values());
  }

  private static List<Double> accuracies(List<TargetScorer.Scored> scored) {
    return scored.stream().map(TargetScorer.Scored::accuracy).toList();
  }

  private static List<Double> unchangedAll(
      List<TargetScorer.Scored> before, List<TargetScorer.Scored> after) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      out.add(unchanged(before.get(i), after.get(i)));
    }
    return out;
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
      int n,
      List<Double> rel,
      List<Double> gen,
      List<Double> loc,
      List<Double> near,
      double[] millis) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", n);
    out.put("reliability", mean(rel));
    out.put("generalization", mean(gen));
    out.put("locality", mean(loc));
    out.put("neighborhood_locality", near.isEmpty() ? null : mean(near));
    out.put("neighborhood_records", near.size());
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    out.put("edit_ms_median", sorted.length == 0 ? 0 : sorted[sorted.length / 2]);
    out.put("method", method.name());
    out.putAll(method.settings());
    return out;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
