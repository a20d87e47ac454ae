package org.mend4j.runtime.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.testing.TestModels;

/**
 * The shipped TorchScript world model ({@code scripts/trace-torchscript.py}) computes what the HF
 * checkpoint it was traced from computes: its logits equal {@link FunctionalGpt2}'s, for a prompt
 * and for a step that feeds back the traced module's own key/value cache.
 */
class TorchScriptParityTest {

  private static final long[] PROMPT = {12, 404, 7, 1030, 56, 9};
  private static final long NEXT = 311;

  @Test
  void tracedLogitsEqualTheFunctionalModelsWithinATenThousandth() throws Exception {
    Path dir = TestModels.repoRoot().resolve("models/world-gpt2-torchscript");
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        Model traced = Model.newInstance("world-gpt2-torchscript", "PyTorch")) {
      traced.load(dir);
      Gpt2Weights weights = Gpt2Checkpoint.load(TestModels.worldModel(), manager);
      Gpt2Config config = weights.config();
      FunctionalGpt2 functional = new FunctionalGpt2(config);
      long[] all = Arrays.copyOf(PROMPT, PROMPT.length + 1);
      all[PROMPT.length] = NEXT;
      float[] expected =
          functional.forward(manager.create(new long[][] {all}), weights).toFloatArray();
      int vocab = config.vocabSize();

      Block block = traced.getBlock();
      ParameterStore store = new ParameterStore(manager, false);
      // Prefill behind one masked dummy position, as DJL's PtGptTranslator feeds the first step.
      NDList prefill = inputs(manager, PROMPT, 0, PROMPT.length + 1, 1);
      // DJL packs arrays with this name into the module's tuple of (key, value) tuples.
      String cacheName = "past_key_values(" + config.nLayer() + ",2)";
      for (int i = 0; i < 2 * config.nLayer(); i++) {
        NDArray dummy =
            manager.zeros(new Shape(1, config.nHead(), 1, config.nEmbd() / config.nHead()));
        dummy.setName(cacheName);
        prefill.add(dummy);
      }
      NDList out = block.forward(store, prefill, false);
      assertClose(out.get(0).toFloatArray(), expected, 0, PROMPT.length, vocab);

      NDList step = inputs(manager, new long[] {NEXT}, PROMPT.length, PROMPT.length + 2, 1);
      for (NDArray cache : out.subNDList(1)) {
        cache.setName(cacheName);
        step.add(cache);
      }
      NDList next = block.forward(store, step, false);
      assertThat(next.get(1).getShape().get(2)).isEqualTo(PROMPT.length + 2);
      assertClose(next.get(0).toFloatArray(), expected, PROMPT.length, 1, vocab);
    }
  }

  /** Tokens, their positions from {@code first}, and a mask of ones but for the dummy position. */
  private static NDList inputs(
      NDManager manager, long[] ids, int first, int maskLength, int dummies) {
    long[] positions = new long[ids.length];
    Arrays.setAll(positions, i -> first + i);
    long[] mask = new long[maskLength];
    Arrays.fill(mask, dummies, maskLength, 1);
    return new NDList(
        manager.create(ids, new Shape(1, ids.length)),
        manager.create(positions, new Shape(1, ids.length)),
        manager.create(mask, new Shape(1, maskLength)));
  }

  private static void assertClose(
      float[] actual, float[] expected, int fromPosition, int positions, int vocab) {
    assertThat(actual).hasSize(positions * vocab);
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).isCloseTo(expected[fromPosition * vocab + i], within(1e-4f));
    }
  }
}
