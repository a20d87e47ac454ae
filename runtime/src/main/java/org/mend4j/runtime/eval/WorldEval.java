package org.mend4j.runtime.eval;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.FactRecord;
import org.mend4j.runtime.gpt2.Gpt2Model;

/**
 * What a model knows of the knowledge world: greedy exact match of each fact's object after each of
 * its pretraining prompts ({@code fact_accuracy}) and after its held-out paraphrase ({@code
 * paraphrase_accuracy}).
 */
public final class WorldEval {

  private WorldEval() {}

  /** Scores {@code facts} and returns {@code facts, fact_accuracy, paraphrase_accuracy}. */
  public static Map<String, Object> evaluate(
      Gpt2Model model, List<FactRecord> facts, NDManager root) {
    List<PromptTarget> trained = new ArrayList<>();
    List<PromptTarget> heldOut = new ArrayList<>();
    for (FactRecord f : facts) {
      f.prompts().forEach(p -> trained.add(new PromptTarget(p, f.object())));
      heldOut.add(new PromptTarget(f.rephrasePrompt(), f.object()));
    }
    TargetScorer scorer = new TargetScorer(model.function(), model.tokenizer(), root);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("facts", facts.size());
    result.put("fact_accuracy", exactRate(scorer.score(trained, model.weights())));
    result.put("paraphrase_accuracy", exactRate(scorer.score(heldOut, model.weights())));
    return result;
  }

  private static double exactRate(List<TargetScorer.Scored> scored) {
    return scored.stream().filter(TargetScorer.Scored::exact).count() / (double) scored.size();
  }
}
