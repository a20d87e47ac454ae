package org.mend4j.runtime.mend;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.gpt2.FactoredDelta;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.gpt2.LinearHook;
import org.mend4j.runtime.gpt2.Scalars;
import org.mend4j.runtime.train.LabeledExample;
import org.mend4j.runtime.train.TokenLoss;

/**
 * First-order MEND meta-training, as the reference trainer does it: per example, capture the
 * factors of the edit prompt on the frozen model, let the editor turn them into a weight change,
 * and score the edited model on the paraphrase ({@code L_edit}) and on an unrelated fact ({@code
 * L_loc} = KL from the pre-edit distribution): {@code L = cedit L_edit + cloc L_loc}. Adam over the
 * editor and the step sizes, gradients accumulated over {@code accumulate_bs} examples and clipped.
 */
public final class MendTrainer {

  /** Figures of one example or of a validation pass. */
  public record Metrics(double loss, double editAccuracy, double localityAccuracy) {}

  private final MendEdits edits;
  private final MendEditor editor;
  private final MendHparams h;
  private final Gpt2Model model;

  /** A trainer for {@code editor} on {@code model}. */
  public MendTrainer(Gpt2Model model, MendEditor editor) {
    this.model = model;
    this.editor = editor;
    this.edits = new MendEdits(model, editor);
    this.h = editor.hparams();
  }

  /** One optimiser step's learning rate for a parameter. */
  double learningRate(String param) {
    return param.equals("edit_lrs") ? h.lrLr : h.lr;
  }

  /**
   * Runs one example forward and, when training, backward (loss scaled by 1/accumulate_bs), as the
   * reference does; {@code history} (mend4j's extension, hparam {@code history}) are earlier edits
   * made first, one on top of the other, with the current editor: the example is then edited on top
   * of them, its locality measured against the model with them, and a retention term (weight {@code
   * cret}) asks that their targets still hold afterwards. This trains the editor for the sequential
   * editing a live service does.
   *
   * @return its loss and post-edit accuracies
   */
  public Metrics step(EditCase example, List<EditCase> history, boolean training) {
    LabeledExample inner =
        LabeledExample.of(model.tokenizer(), example.prompt(), example.targetNew());
    LabeledExample outer =
        LabeledExample.of(model.tokenizer(), example.rephrasePrompt(), example.targetNew());
    LabeledExample loc =
        LabeledExample.of(
            model.tokenizer(), example.localityPrompt(), example.localityGroundTruth());
    try (NDManager scope = model.weights().manager().newSubManager()) {
      Gpt2Params base = withHistory(history, scope);
      NDArray preLoc = logits(scope, loc, base).logSoftmax(-1);
      long[] preLocArgmax = preLoc.argMax(-1).toLongArray();
      Map<String, GradientFactors> factors = edits.capture(List.of(inner), base, scope);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        Map<String, List<FactoredDelta>> deltas = edits.pseudoDeltas(factors, training, scope);
        Gpt2Params edited = EditedParams.withDeltas(base, deltas);
        NDArray outerLogits = logits(scope, outer, edited);
        NDArray editLoss = nll(scope, outer, outerLogits);
        NDArray postLoc = logits(scope, loc, edited);
        NDArray locLoss = TokenLoss.klFrom(preLoc, postLoc);
        NDArray loss =
            editLoss
                .mul(Scalars.of(editLoss, (float) h.cedit))
                .add(locLoss.mul(Scalars.of(locLoss, (float) h.cloc)));
        for (EditCase earlier : history) {
          LabeledExample kept =
              LabeledExample.of(model.tokenizer(), earlier.prompt(), earlier.targetNew());
          NDArray retention = nll(scope, kept, logits(scope, kept, edited));
          loss = loss.add(retention.mul(Scalars.of(retention, (float) (h.cret / history.size()))));
        }
        if (training) {
          collector.backward(loss.div(Scalars.of(loss, h.accumulateBs)));
        }
        return new Metrics(
            loss.getFloat(),
            accuracy(outerLogits.argMax(-1).toLongArray(), outer),
            unchanged(preLocArgmax, postLoc.argMax(-1).toLongArray(), loc));
      }
    }
  }

  /** The base model with {@code history} edited into it in order, each on top of the last. */
  private Gpt2Params withHistory(List<EditCase> history, NDManager scope) {
    Gpt2Params params = model.weights();
    for (EditCase c : history) {
      Edit edit = edits.edit(List.of(new EditRequest(c.prompt(), c.targetNew(), null)), params);
      params = EditedParams.of(params, List.of(edit), edits::fingerprint, scope);
    }
    return params;
  }

  private static NDArray nll(NDManager scope, LabeledExample example, NDArray logits) {
    NDArray mask = scope.create(example.targetMask(), new Shape(1, example.targetMask().length));
    return TokenLoss.masked(logits, scope.create(new long[][] {example.targets()}), mask);
  }

  private NDArray logits(NDManager scope, LabeledExample example, Gpt2Params params) {
    NDArray ids = scope.create(new long[][] {example.inputs()});
    return model
        .function()
        .logits(model.function().hidden(ids, params, null, LinearHook.NONE), params);
  }

  private static double accuracy(long[] argmax, LabeledExample example) {
    long[] target = example.targetTokens();
    int hits = 0;
    for (int i = 0; i < target.length; i++) {
      hits += argmax[example.targetStart() - 1 + i] == target[i] ? 1 : 0;
    }
    return (double) hits / target.length;
  }

  private static double unchanged(long[] pre, long[] post, LabeledExample example) {
    int same = 0;
    int n = example.targetLength();
    for (int i = 0; i < n; i++) {
      int p = example.targetStart() - 1 + i;
      same += pre[p] == post[p] ? 1 : 0;
    }
    return (double) same / n;
  }

  /**
   * Mean figures over {@code cases} without training (the normalisation stays frozen), each with
   * the history {@code historyOf} gives it.
   */
  public Metrics validate(
      List<EditCase> cases, java.util.function.IntFunction<List<EditCase>> historyOf) {
    double loss = 0;
    double edit = 0;
    double loc = 0;
    for (int i = 0; i < cases.size(); i++) {
      EditCase c = cases.get(i);
      Metrics m = step(c, historyOf.apply(i), false);
      loss += m.loss();
      edit += m.editAccuracy();
      loc += m.localityAccuracy();
    }
    int n = Math.max(1, cases.size());
    return new Metrics(loss / n, edit / n, loc / n);
  }

  /** The training examples in the order step {@code i} sees them: shuffled epochs, seeded. */
  static List<EditCase> order(List<EditCase> train, long seed, int steps) {
    SplittableRandom random = new SplittableRandom(seed);
    List<EditCase> out = new ArrayList<>(steps);
    while (out.size() < steps) {
      List<EditCase> epoch = new ArrayList<>(train);
      for (int i = epoch.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        EditCase t = epoch.get(i);
        epoch.set(i, epoch.get(j));
        epoch.set(j, t);
      }
      out.addAll(epoch.subList(0, Math.min(epoch.size(), steps - out.size())));
    }
    return out;
  }

  /** Running figures for the progress bar. */
  static Map<String, Double> figures(double loss, double edit, double loc) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", loss);
    m.put("edit", edit);
    m.put("loc", loc);
    return m;
  }
}
