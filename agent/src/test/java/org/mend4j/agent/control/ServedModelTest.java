package org.mend4j.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.gpt2.Gpt2Checkpoint;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Init;
import org.mend4j.runtime.gpt2.Gpt2Weights;

/**
 * The model in-process edits are computed on: views of the host's arrays when they hold the
 * checkpoint, which it knows to be stale once the host closes them (a host replacing its model), or
 * a loaded copy, which never is.
 */
class ServedModelTest {

  private static final Gpt2Config CONFIG =
      new Gpt2Config(16, 2, 2, 16, 50, 1e-5f, 64, "gelu_new", true, 49);

  @TempDir Path dir;

  @Test
  void viewsOfTheHostsArraysKnowWhenTheHostClosedThem() {
    try (NDManager init = NDManager.newBaseManager();
        Gpt2Weights weights = Gpt2Init.initialize(CONFIG, 3, init)) {
      Gpt2Checkpoint.save(CONFIG, weights.tensors(), dir);
    }
    NDManager host = NDManager.newBaseManager();
    List<Object> hostArrays = new ArrayList<>();
    Gpt2Checkpoint.load(dir, host).tensors().values().forEach(hostArrays::add);

    try (ServedModel served = ServedModel.open(dir, () -> hostArrays)) {
      assertThat(served.lentBy()).isNotEmpty().allMatch(hostArrays::contains);
      assertThat(served.hostReplaced()).isFalse();
      host.close();
      assertThat(served.hostReplaced()).as("the host closed its model").isTrue();
      NDArray wte = served.model().weights().tensors().values().iterator().next();
      assertThat(wte.toFloatArray()).as("the views still read the storage they hold").isNotEmpty();
    }
    try (ServedModel copy = ServedModel.open(dir, null)) {
      assertThat(copy.lentBy()).isEmpty();
      assertThat(copy.hostReplaced()).isFalse();
    }
  }
}
