package org.mend4j.runtime.mend;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.edit.Fingerprint;
import org.mend4j.runtime.edit.ParamDelta;
import org.mend4j.runtime.gpt2.FactoredDelta;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.gpt2.LinearHook;
import org.mend4j.runtime.gpt2.Scalars;
import org.mend4j.runtime.train.LabeledExample;
import org.mend4j.runtime.train.TokenLoss;

/**
 * Computes MEND edits for one model with one editor: a forward and backward pass on the edit
 * examples captures each inner weight's factors, the editor turns them into pseudo-factors, and the
 * result is an {@link Edit} that stores them factored. Edits are computed on the parameters given
 * (the base, or the base plus the active edits, for sequential editing). Serialised: DJL allows one
 * gradient collector at a time.
 */
public final class MendEdits {

  private final Gpt2Model model;
  private final MendEditor editor;
  private final Map<String, String> fingerprints = new ConcurrentHashMap<>();

  /** Editing {@code model} with {@code editor}. */
  public MendEdits(Gpt2Model model, MendEditor editor) {
    this.model = model;
    this.editor = editor;
  }

  /** The model edited. */
  public Gpt2Model model() {
    return model;
  }

  /** The editor. */
  public MendEditor editor() {
    return editor;
  }

  /** {@link Fingerprint} of a base weight, computed once. */
  public String fingerprint(String name) {
    return fingerprints.computeIfAbsent(name, n -> Fingerprint.of(model.weights().base(n)));
  }

  /** The base model with {@code edits} applied, their factors allocated in {@code manager}. */
  public EditedParams apply(List<Edit> edits, NDManager manager) {
    return EditedParams.of(model.weights(), edits, this::fingerprint, manager);
  }

  /**
   * One edit making all {@code requests} true at once (k requests: a batched edit), computed on
   * {@code current}.
   */
  public synchronized Edit edit(List<EditRequest> requests, Gpt2Params current) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("an edit needs at least one request");
    }
    List<LabeledExample> examples = new ArrayList<>();
    for (EditRequest r : requests) {
      examples.add(LabeledExample.of(model.tokenizer(), r.prompt(), r.targetNew()));
    }
    try (NDManager scope = model.weights().manager().newSubManager()) {
      Map<String, Factors> factors = capture(examples, current, scope);
      List<ParamDelta> params = new ArrayList<>();
      for (int i = 0; i < editor.innerParams().size(); i++) {
        String name = editor.innerParams().get(i);
        NDArray[] pseudo = editor.transform(i, factors.get(name), false, scope);
        if (pseudo != null) {
          params.add(
              new ParamDelta(
                  name,
                  editor.shape(i),
                  fingerprint(name),
                  (int) pseudo[0].getShape().get(0),
                  pseudo[0].toFloatArray(),
                  pseudo[1].toFloatArray(),
                  editor.editLrValue(i)));
        }
      }
      if (params.isEmpty()) {
        throw new IllegalStateException("the edit examples produced no gradient to edit with");
      }
      return Edit.create(Instant.now(), editor.id(), requests, params);
    }
  }

  /**
   * The factors of every inner weight for the NLL of the examples' targets (the sum over all target
   * tokens divided by their number, as one batch would give), computed on {@code params}.
   */
  synchronized Map<String, Factors> capture(
      List<LabeledExample> examples, Gpt2Params params, NDManager scope) {
    int targetTokens = examples.stream().mapToInt(LabeledExample::targetLength).sum();
    Map<String, Factors> all = new LinkedHashMap<>();
    for (LabeledExample example : examples) {
      FactorCapture capture = new FactorCapture(new HashSet<>(editor.innerParams()));
      try (NDManager pass = scope.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits = forward(pass, example, params, capture);
        NDArray mask = pass.create(example.targetMask(), new Shape(1, example.targetMask().length));
        NDArray nll =
            TokenLoss.targetLogProbs(logits, pass.create(new long[][] {example.targets()}))
                .mul(mask)
                .sum()
                .neg();
        nll = nll.div(Scalars.of(nll, targetTokens));
        collector.backward(nll);
        for (String name : editor.innerParams()) {
          Factors f = capture.factors(name);
          all.merge(name, f, Factors::concat);
        }
      }
    }
    return all;
  }

  private NDArray forward(
      NDManager pass, LabeledExample example, Gpt2Params params, LinearHook hook) {
    NDArray ids = pass.create(new long[][] {example.inputs()});
    return model.function().logits(model.function().hidden(ids, params, null, hook), params);
  }

  /**
   * Differentiable pseudo-deltas of every inner weight (training): the editor's output for {@code
   * factors}, scaled by its learned step sizes.
   */
  Map<String, List<FactoredDelta>> pseudoDeltas(
      Map<String, Factors> factors, boolean training, NDManager scope) {
    Map<String, List<FactoredDelta>> deltas = new LinkedHashMap<>();
    for (int i = 0; i < editor.innerParams().size(); i++) {
      String name = editor.innerParams().get(i);
      NDArray[] pseudo = editor.transform(i, factors.get(name), training, scope);
      if (pseudo != null) {
        deltas.put(name, List.of(new FactoredDelta(pseudo[0], pseudo[1], editor.editLr(i, scope))));
      }
    }
    return deltas;
  }
}
