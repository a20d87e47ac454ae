package org.mend4j.runtime.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.gpt2.FactoredDelta;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.gpt2.LinearHook;
import org.mend4j.runtime.train.Adam;
import org.mend4j.runtime.train.LabeledExample;
import org.mend4j.runtime.train.TokenLoss;

/**
 * The fine-tuning baseline (EasyEdit's FT-L, unconstrained): Adam steps on the NLL of the target,
 * over dense changes to the same inner weights MEND edits, until greedy decoding produces the
 * target or the step budget runs out.
 */
public final class FineTuneMethod implements EditMethod {

  private final Gpt2Model model;
  private final List<String> innerParams;
  private final double learningRate;
  private final int maxSteps;

  /** Fine-tuning of {@code innerParams} at {@code learningRate} for at most {@code maxSteps}. */
  public FineTuneMethod(
      Gpt2Model model, List<String> innerParams, double learningRate, int maxSteps) {
    this.model = model;
    this.innerParams = innerParams;
    this.learningRate = learningRate;
    this.maxSteps = maxSteps;
  }

  @Override
  public String name() {
    return "ft";
  }

  @Override
  public Run start(Gpt2Params base, NDManager manager) {
    return new Run() {
      private Gpt2Params params = base;

      @Override
      public void add(List<EditCase> batch) {
        for (EditCase c : batch) {
          params = tune(c, params, manager);
        }
      }

      @Override
      public Gpt2Params params() {
        return params;
      }
    };
  }

  /** {@code current} fine-tuned until it produces the case's target (or the budget runs out). */
  private Gpt2Params tune(EditCase c, Gpt2Params current, NDManager manager) {
    LabeledExample example = LabeledExample.of(model.tokenizer(), c.prompt(), c.targetNew());
    Map<String, NDArray> changes = new HashMap<>();
    for (String name : innerParams) {
      changes.put(name, manager.zeros(current.base(name).getShape()));
    }
    try (NDManager optimizerState = manager.newSubManager();
        Adam adam = new Adam(changes, 0, optimizerState)) {
      for (int step = 0; step < maxSteps; step++) {
        try (NDManager scope = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          Gpt2Params tuned = withDenseChanges(current, changes, scope);
          NDArray ids = scope.create(new long[][] {example.inputs()});
          NDArray logits =
              model
                  .function()
                  .logits(model.function().hidden(ids, tuned, null, LinearHook.NONE), tuned);
          if (example.predictedBy(logits.argMax(-1).toLongArray())) {
            break;
          }
          NDArray mask =
              scope.create(example.targetMask(), new Shape(1, example.targetMask().length));
          collector.backward(
              TokenLoss.masked(logits, scope.create(new long[][] {example.targets()}), mask));
        }
        adam.step(learningRate, 0);
      }
    }
    changes.values().forEach(change -> change.setRequiresGradient(false));
    return withDenseChanges(current, changes, manager);
  }

  /**
   * {@code current} with {@code W + dW} for the changed weights, the sums made once, in {@code
   * scope} (a training step's, or the run's for a finished edit), so no sum outlives its use.
   */
  private static Gpt2Params withDenseChanges(
      Gpt2Params current, Map<String, NDArray> changes, NDManager scope) {
    Map<String, NDArray> sums = new HashMap<>();
    changes.forEach(
        (name, change) -> {
          NDArray sum = change.add(current.base(name));
          sum.attach(scope);
          sums.put(name, sum);
        });
    return new Gpt2Params() {
      @Override
      public NDArray base(String name) {
        return sums.getOrDefault(name, current.base(name));
      }

      @Override
      public List<FactoredDelta> deltas(String name) {
        return current.deltas(name);
      }
    };
  }
}
