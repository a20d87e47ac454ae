package org.mend4j.runtime.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.eval.EditEvaluation;
import org.mend4j.runtime.eval.FineTuneMethod;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.MendEdits;
import org.mend4j.runtime.train.LabeledExample;
import org.mend4j.runtime.train.TokenLoss;

/**
 * How long an edit takes: MEND's median edit time beside one plain forward+backward pass of the
 * model on the same examples (gradients of every weight) and beside the fine-tuning baseline at the
 * reliability it reaches, all in one run. Each case's edit runs right after its forward+backward
 * pass, so the ratio is also taken case by case (its median and quartiles): a pair shares the
 * machine's load of its moment, which a ratio of medians over the whole run does not.
 *
 * <p>Both are timed warm, after untimed pairs on the cases in turn, as a service that edits all its
 * life runs them: an edit runs far more Java (the editor's normalisation, the keys and values) than
 * a forward+backward pass, so while the JIT compiles it the first pairs time the compiler more than
 * the edit (on the world model, 50 edits after one warm-up pair: 1.58-1.75x; the same 50 after 400
 * more: about 1.4x).
 */
public final class EditLatencyBenchmark {

  private final Gpt2Model model;
  private final MendEdits edits;
  private final FineTuneMethod fineTune;

  /** A benchmark of MEND ({@code edits}) against {@code fineTune} on {@code model}. */
  public EditLatencyBenchmark(Gpt2Model model, MendEdits edits, FineTuneMethod fineTune) {
    this.model = model;
    this.edits = edits;
    this.fineTune = fineTune;
  }

  /**
   * Runs over {@code cases} after {@code warmup} untimed pairs (at least one; the cases in turn)
   * and returns the figures by name.
   */
  public Map<String, Object> run(List<EditCase> cases, int warmup, NDManager root) {
    if (warmup < 1) {
      throw new IllegalArgumentException("at least one warm-up pair is needed, got " + warmup);
    }
    for (int i = 0; i < warmup; i++) {
      EditCase c = cases.get(i % cases.size());
      forwardBackward(c, root);
      edits.edit(List.of(request(c)), model.weights());
    }
    double[] plain = new double[cases.size()];
    double[] mend = new double[cases.size()];
    for (int i = 0; i < cases.size(); i++) {
      EditCase c = cases.get(i);
      plain[i] = forwardBackward(c, root);
      long start = System.nanoTime();
      edits.edit(List.of(request(c)), model.weights());
      mend[i] = (System.nanoTime() - start) / 1e6;
    }
    Map<String, Object> ft =
        new EditEvaluation(model, fineTune, List.of(), cases, root).single(cases);
    double plainMedian = Figures.median(plain);
    double mendMedian = Figures.median(mend);
    double[] paired = new double[cases.size()];
    for (int i = 0; i < paired.length; i++) {
      paired[i] = mend[i] / plain[i];
    }
    double[] middleHalf = Figures.quartiles(paired);
    double ftMedian = (double) ft.get("edit_ms_median");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", cases.size());
    out.put("warmup", warmup);
    out.put("forward_backward_ms_median", Figures.round(plainMedian));
    out.put("mend_edit_ms_median", Figures.round(mendMedian));
    out.put("ft_edit_ms_median", Figures.round(ftMedian));
    out.put("ft_reliability", ft.get("reliability"));
    out.put("mend_over_forward_backward", Figures.round(mendMedian / plainMedian));
    out.put("paired_ratio_median", Figures.round(Figures.median(paired)));
    out.put("paired_ratio_lower_quartile", Figures.round(middleHalf[0]));
    out.put("paired_ratio_upper_quartile", Figures.round(middleHalf[1]));
    out.put("ft_over_mend", Figures.round(ftMedian / mendMedian));
    return out;
  }

  private static EditRequest request(EditCase c) {
    return new EditRequest(c.prompt(), c.targetNew(), c.rephrasePrompt());
  }

  /**
   * Milliseconds of one forward and backward pass with gradients for every weight, its temporaries
   * freed: as an edit's time includes freeing its own.
   */
  private double forwardBackward(EditCase c, NDManager root) {
    LabeledExample example = LabeledExample.of(model.tokenizer(), c.prompt(), c.targetNew());
    model.weights().tensors().values().forEach(w -> w.setRequiresGradient(true));
    try {
      long start = System.nanoTime();
      try (NDManager scope = root.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray ids = scope.create(new long[][] {example.inputs()});
        NDArray logits = model.function().forward(ids, model.weights());
        NDArray mask =
            scope.create(example.targetMask(), new Shape(1, example.targetMask().length));
        collector.backward(
            TokenLoss.masked(logits, scope.create(new long[][] {example.targets()}), mask));
      }
      return (System.nanoTime() - start) / 1e6;
    } finally {
      model.weights().tensors().values().forEach(w -> w.setRequiresGradient(false));
    }
  }
}
