package org.mend4j.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.generate.GenerationConfig;
import org.mend4j.runtime.generate.Generator;
import org.mend4j.runtime.gpt2.FunctionalGpt2;
import org.mend4j.runtime.gpt2.Gpt2Init;
import org.mend4j.runtime.gpt2.Gpt2Weights;
import org.mend4j.runtime.testing.TestWeights;

class LmTrainerTest {

  @Test
  void memorisesRandomSequences() {
    SplittableRandom random = new SplittableRandom(5);
    List<long[]> sequences = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sequences.add(random.longs(4 + i % 3, 0, 49).toArray());
    }
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights weights = Gpt2Init.initialize(TestWeights.smallConfig(), 3, manager)) {
      LmTrainer.Options options = new LmTrainer.Options(150, 4, 1e-2, 10, 0.0, 1.0, 9);
      List<Double> losses = new ArrayList<>();
      double finalLoss =
          new LmTrainer(weights, options)
              .train(sequences, (step, total, m) -> losses.add(m.get("loss")), s -> {}, 0);
      assertThat(losses.get(0)).isGreaterThan(3.5);
      assertThat(finalLoss).isLessThan(0.7);
      Generator generator = new Generator(new FunctionalGpt2(weights.config()), weights, manager);
      int correct = 0;
      for (long[] s : sequences) {
        long[] out =
            generator.generate(
                new long[] {s[0], s[1], s[2]}, new GenerationConfig(1, 1, 1, 0, 0, 1, 0, false));
        correct += out[3] == s[3] ? 1 : 0;
      }
      assertThat(correct).isGreaterThanOrEqualTo(9);
    }
  }

  @Test
  void batchesHoldOneLengthAndCoverEveryEpoch() {
    List<long[]> sequences =
        List.of(new long[3], new long[3], new long[4], new long[5], new long[3]);
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights weights = Gpt2Init.initialize(TestWeights.smallConfig(), 3, manager)) {
      List<long[][]> plan =
          new LmTrainer(weights, new LmTrainer.Options(2, 2, 1e-3, 1, 0, 0, 1)).plan(sequences);
      assertThat(plan.stream().mapToInt(b -> b.length).sum()).isEqualTo(10);
      for (long[][] batch : plan) {
        assertThat(batch.length).isLessThanOrEqualTo(2);
        for (long[] s : batch) {
          assertThat(s.length).isEqualTo(batch[0].length);
        }
      }
    }
  }
}
