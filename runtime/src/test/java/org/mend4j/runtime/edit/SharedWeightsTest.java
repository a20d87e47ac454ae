package org.mend4j.runtime.edit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.gpt2.FunctionalGpt2;
import org.mend4j.runtime.gpt2.Gpt2Checkpoint;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.gpt2.Gpt2Weights;
import org.mend4j.runtime.testing.TestWeights;

/**
 * A checkpoint's weights found among a host's arrays, held the way demo-app holds them (each
 * projection as the transposed view of its HF array), with another model's arrays mixed in.
 */
class SharedWeightsTest {

  private static final Gpt2Config CONFIG = TestWeights.smallConfig();

  @TempDir Path dir;

  @Test
  void everyTensorIsFoundAsAViewThatComputesWhatTheCheckpointComputes() {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights served = TestWeights.nonTrivial(CONFIG, 7, manager);
        Gpt2Weights other = TestWeights.nonTrivial(CONFIG, 8, manager)) {
      Gpt2Checkpoint.save(CONFIG, served.tensors(), dir);
      List<NDArray> host = hostArrays(other, null);
      host.addAll(hostArrays(served, null));

      SharedWeights.Found found = SharedWeights.find(dir, host, manager);

      assertThat(found.missing()).isEmpty();
      assertThat(found.sources())
          .as("the views are of the served model's arrays, none of the other's")
          .isNotEmpty()
          .allMatch(a -> host.subList(host.size() / 2, host.size()).contains(a));
      try (Gpt2Weights shared = found.weights()) {
        for (Map.Entry<String, NDArray> e : served.tensors().entrySet()) {
          NDArray view = shared.tensors().get(e.getKey());
          assertThat(view.getShape()).as(e.getKey()).isEqualTo(e.getValue().getShape());
          assertThat(view.toFloatArray()).as(e.getKey()).isEqualTo(e.getValue().toFloatArray());
        }
        try (NDManager scope = manager.newSubManager()) {
          NDArray ids = scope.create(new long[][] {{3, 1, 4, 1, 5}});
          FunctionalGpt2 gpt2 = new FunctionalGpt2(CONFIG);
          assertThat(gpt2.forward(ids, shared).toFloatArray())
              .isEqualTo(gpt2.forward(ids, served).toFloatArray());
        }
      }
      // closing the shared weights closed only the views
      assertThat(host.get(host.size() - 1).toFloatArray()).isNotEmpty();
    }
  }

  @Test
  void aTensorTheHostDoesNotHoldIsNamedAndNothingIsKept() {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights served = TestWeights.nonTrivial(CONFIG, 7, manager)) {
      Gpt2Checkpoint.save(CONFIG, served.tensors(), dir);
      List<NDArray> host = hostArrays(served, Gpt2Names.WPE);
      NDManager parent = manager.newSubManager();

      SharedWeights.Found found = SharedWeights.find(dir, host, parent);

      assertThat(found.weights()).isNull();
      assertThat(found.missing()).containsExactly(Gpt2Names.WPE);
      assertThat(found.sources()).isEmpty();
      assertThat(parent.getManagedArrays()).isEmpty();
    }
  }

  /**
   * The arrays a host would hold for {@code weights}, but the one named {@code left}: the
   * embeddings as they are, each other matrix as DJL's {@code Linear} holds it ({@code [out, in]},
   * a transposed view).
   */
  private static List<NDArray> hostArrays(Gpt2Weights weights, String left) {
    List<NDArray> arrays = new ArrayList<>();
    weights
        .tensors()
        .forEach(
            (name, array) -> {
              if (name.equals(left)) {
                return;
              }
              boolean embedding = name.equals(Gpt2Names.WTE) || name.equals(Gpt2Names.WPE);
              arrays.add(
                  array.getShape().dimension() == 2 && !embedding ? array.transpose() : array);
            });
    return arrays;
  }
}
