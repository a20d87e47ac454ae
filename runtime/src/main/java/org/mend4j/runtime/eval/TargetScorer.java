package org.mend4j.runtime.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.gpt2.FunctionalGpt2;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.gpt2.LinearHook;
import org.mend4j.runtime.gpt2.tokenizer.Tokenizer;
import org.mend4j.runtime.train.LabeledExample;

/**
 * Teacher-forced predictions at the target positions of {@code prompt + " " + target}, as EasyEdit
 * computes its metrics: the target's tokens are those of the joined text after the prompt's own
 * tokens. Greedy decoding produces the target exactly when every prediction here is right.
 * Sequences are batched by length, so there is no padding.
 */
public final class TargetScorer {

  /**
   * The model's argmax at each target position, beside the target tokens.
   *
   * @param predicted argmax token at each target position
   * @param expected the target's tokens
   */
  public record Scored(long[] predicted, long[] expected) {

    /** Fraction of target tokens predicted (EasyEdit's token accuracy). */
    public double accuracy() {
      int hits = 0;
      for (int i = 0; i < expected.length; i++) {
        hits += predicted[i] == expected[i] ? 1 : 0;
      }
      return (double) hits / expected.length;
    }

    /** Whether greedy decoding reproduces the whole target. */
    public boolean exact() {
      return Arrays.equals(predicted, expected);
    }
  }

  private static final int BATCH = 64;

  private final FunctionalGpt2 model;
  private final Tokenizer tokenizer;
  private final NDManager root;

  /** A scorer for one model function and tokenizer; temporaries live under {@code root}. */
  public TargetScorer(FunctionalGpt2 model, Tokenizer tokenizer, NDManager root) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.root = root;
  }

  private LabeledExample encode(PromptTarget pt) {
    return LabeledExample.of(tokenizer, pt.prompt(), pt.target());
  }

  /** Scores every pair under {@code params}, in input order. */
  public List<Scored> score(List<PromptTarget> pairs, Gpt2Params params) {
    List<LabeledExample> encoded = pairs.stream().map(this::encode).toList();
    Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
    for (int i = 0; i < encoded.size(); i++) {
      byLength.computeIfAbsent(encoded.get(i).tokens().length, k -> new ArrayList<>()).add(i);
    }
    Scored[] out = new Scored[pairs.size()];
    for (List<Integer> group : byLength.values()) {
      for (int from = 0; from < group.size(); from += BATCH) {
        List<Integer> batch = group.subList(from, Math.min(group.size(), from + BATCH));
        scoreBatch(batch.stream().map(encoded::get).toList(), params, batch, out);
      }
    }
    return List.of(out);
  }

  private void scoreBatch(
      List<LabeledExample> batch, Gpt2Params params, List<Integer> slots, Scored[] out) {
    int length = batch.get(0).tokens().length;
    long[][] inputs = batch.stream().map(LabeledExample::inputs).toArray(long[][]::new);
    try (NDManager scope = root.newSubManager()) {
      NDArray hidden = model.hidden(scope.create(inputs), params, null, LinearHook.NONE);
      long[] argmax = model.logits(hidden, params).argMax(-1).toLongArray();
      for (int b = 0; b < batch.size(); b++) {
        LabeledExample e = batch.get(b);
        int n = length - e.targetStart();
        long[] predicted = new long[n];
        for (int i = 0; i < n; i++) {
          predicted[i] = argmax[b * (length - 1) + e.targetStart() - 1 + i];
        }
        out[slots.get(b)] =
            new Scored(predicted, Arrays.copyOfRange(e.tokens(), e.targetStart(), length));
      }
    }
  }
}
