package org.mend4j.runtime.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.mend4j.runtime.gpt2.FunctionalGpt2;
import org.mend4j.runtime.gpt2.Gpt2Weights;

/**
 * Causal language-model training of a GPT-2 on whole token sequences. Each batch holds sequences of
 * one length, so no padding or attention mask is needed and every sequence starts at position 0, as
 * prompts do at inference. AdamW with linear warm-up and cosine decay.
 */
public final class LmTrainer {

  /**
   * Training settings.
   *
   * @param epochs passes over the sequences
   * @param batchSize sequences per step (at most; a length bucket's last batch may be smaller)
   * @param learningRate peak learning rate
   * @param warmupSteps steps of linear warm-up
   * @param weightDecay AdamW decay
   * @param gradClip global gradient-norm clip (0: none)
   * @param seed shuffling seed
   */
  public record Options(
      int epochs,
      int batchSize,
      double learningRate,
      int warmupSteps,
      double weightDecay,
      double gradClip,
      long seed) {}

  private final FunctionalGpt2 model;
  private final Gpt2Weights weights;
  private final Options options;

  /** A trainer that updates {@code weights} in place. */
  public LmTrainer(Gpt2Weights weights, Options options) {
    this.weights = weights;
    this.model = new FunctionalGpt2(weights.config());
    this.options = options;
  }

  /** The batches of every epoch, in training order; each batch's sequences share one length. */
  List<long[][]> plan(List<long[]> sequences) {
    SplittableRandom random = new SplittableRandom(options.seed());
    List<long[][]> batches = new ArrayList<>();
    for (int epoch = 0; epoch < options.epochs(); epoch++) {
      List<long[][]> epochBatches = new ArrayList<>();
      List<long[]> shuffled = new ArrayList<>(sequences);
      shuffle(shuffled, random);
      shuffled.sort(Comparator.comparingInt(s -> s.length));
      for (int i = 0; i < shuffled.size(); ) {
        int length = shuffled.get(i).length;
        int end = i;
        while (end < shuffled.size()
            && end - i < options.batchSize()
            && shuffled.get(end).length == length) {
          end++;
        }
        epochBatches.add(shuffled.subList(i, end).toArray(long[][]::new));
        i = end;
      }
      shuffle(epochBatches, random);
      batches.addAll(epochBatches);
    }
    return batches;
  }

  /**
   * Trains on {@code sequences} (each at least two tokens).
   *
   * @param listener hears the running loss after every step
   * @param checkpoint called with the step number every {@code checkpointEvery} steps
   * @param checkpointEvery steps between checkpoint calls (0: never)
   * @return the mean loss of the last 100 steps
   */
  public double train(
      List<long[]> sequences,
      TrainingListener listener,
      IntConsumer checkpoint,
      int checkpointEvery) {
    List<long[][]> batches = plan(sequences);
    NDManager root = weights.manager();
    double smoothed = Double.NaN;
    double recentSum = 0;
    int recentCount = 0;
    try (Adam adam = new Adam(weights.tensors(), options.weightDecay(), root)) {
      for (int step = 0; step < batches.size(); step++) {
        double loss = step(adam, batches.get(step), learningRate(step, batches.size()));
        smoothed = Double.isNaN(smoothed) ? loss : 0.98 * smoothed + 0.02 * loss;
        if (step >= batches.size() - 100) {
          recentSum += loss;
          recentCount++;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", smoothed);
        listener.onStep(step + 1, batches.size(), metrics);
        if (checkpointEvery > 0 && (step + 1) % checkpointEvery == 0) {
          checkpoint.accept(step + 1);
        }
      }
    }
    weights.tensors().values().forEach(p -> p.setRequiresGradient(false));
    return recentSum / Math.max(1, recentCount);
  }

  private double step(Adam adam, long[][] batch, double lr) {
    int length = batch[0].length;
    long[][] inputs = new long[batch.length][];
    long[][] targets = new long[batch.length][];
    for (int b = 0; b < batch.length; b++) {
      inputs[b] = java.util.Arrays.copyOf(batch[b], length - 1);
      targets[b] = java.util.Arrays.copyOfRange(batch[b], 1, length);
    }
    double loss;
    try (NDManager scope = weights.manager().newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray logits = model.forward(scope.create(inputs), weights);
      NDArray lossArray = TokenLoss.mean(logits, scope.create(targets));
      collector.backward(lossArray);
      loss = lossArray.getFloat();
    }
    adam.step(lr, options.gradClip());
    return loss;
  }

  /** Linear warm-up to the peak, then cosine decay to a tenth of it. */
  double learningRate(int step, int total) {
    double peak = options.learningRate();
    if (step < options.warmupSteps()) {
      return peak * (step + 1) / options.warmupSteps();
    }
    double progress =
        (double) (step - options.warmupSteps()) / Math.max(1, total - options.warmupSteps());
    return peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
