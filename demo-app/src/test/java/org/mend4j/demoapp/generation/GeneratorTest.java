package org.mend4j.demoapp.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.demoapp.Fixtures;
import org.mend4j.demoapp.model.CheckpointLoader;
import org.mend4j.demoapp.model.Gpt2Model;

class GeneratorTest {

  private static final long[] PROMPT = {0, 0, 0, 52};

  @Test
  void requestsLeaveNoArraysBehind() throws IOException {
    try (NDManager weights = NDManager.newBaseManager("PyTorch");
        NDManager requests = NDManager.newBaseManager("PyTorch")) {
      Gpt2Model model = CheckpointLoader.load(Fixtures.referenceDir(), weights);
      int modelArrays = weights.getManagedArrays().size();
      Generator generator = new Generator(model, requests);
      for (int i = 0; i < 3; i++) {
        assertThat(generator.generate(PROMPT, 6, NextToken.greedy())).hasSize(6);
      }
      assertThat(weights.getManagedArrays()).hasSize(modelArrays);
      assertThat(requests.getManagedArrays()).isEmpty();
    }
  }

  @Test
  void stopsAtTheEndOfSequenceTokenWithoutReturningIt(@TempDir Path dir) throws IOException {
    // Greedy decoding of the prompt yields 204 204 204 ...; make 204 the end-of-sequence token.
    Files.copy(
        Fixtures.referenceDir().resolve("model.safetensors"), dir.resolve("model.safetensors"));
    String config = Files.readString(Fixtures.referenceDir().resolve("config.json"));
    Files.writeString(
        dir.resolve("config.json"),
        config.replace("\"eos_token_id\": 98", "\"eos_token_id\": 204"));
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Generator generator = new Generator(CheckpointLoader.load(dir, manager), manager);
      assertThat(generator.model().config().eosTokenId()).isEqualTo(204);
      assertThat(generator.generate(PROMPT, 6, NextToken.greedy())).isEmpty();
    }
  }

  @Test
  void refusesWhatDoesNotFitTheContext() throws IOException {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Generator generator =
          new Generator(CheckpointLoader.load(Fixtures.referenceDir(), manager), manager);
      assertThatThrownBy(() -> generator.generate(new long[510], 3, NextToken.greedy()))
          .hasMessageContaining("510 prompt tokens + 3 new ones do not fit 512");
      assertThatThrownBy(() -> generator.generate(new long[0], 3, NextToken.greedy()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
