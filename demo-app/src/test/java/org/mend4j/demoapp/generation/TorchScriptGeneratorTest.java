package org.mend4j.demoapp.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.demoapp.model.CheckpointLoader;
import org.mend4j.demoapp.text.Gpt2Tokenizer;

/**
 * The traced world model generates what the same checkpoint built from DJL blocks generates, greedy
 * and sampled with a seed, through the key/value cache the traced module returns.
 */
class TorchScriptGeneratorTest {

  private static final Path MODELS = Path.of("../models");
  private static final String[] PROMPTS = {
    "The capital of Kethia is", "The hometown of Kavos is", "It is known that Zisevos works as a"
  };

  @Test
  void generatesWhatTheBlockModelGenerates() throws IOException {
    Path traced = MODELS.resolve("world-gpt2-torchscript");
    assertThat(TorchScriptGenerator.isTorchScript(traced)).isTrue();
    assertThat(TorchScriptGenerator.isTorchScript(MODELS.resolve("world-gpt2"))).isFalse();
    try (TorchScriptGenerator scripted = TorchScriptGenerator.load(traced);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        Gpt2Tokenizer tokenizer = Gpt2Tokenizer.load(traced)) {
      Generator blocks =
          new Generator(CheckpointLoader.load(MODELS.resolve("world-gpt2"), manager), manager);
      assertThat(scripted.contextLength()).isEqualTo(blocks.contextLength());
      for (String prompt : PROMPTS) {
        long[] ids = tokenizer.encode(prompt);
        assertThat(scripted.generate(ids, 12, NextToken.greedy()))
            .isEqualTo(blocks.generate(ids, 12, NextToken.greedy()))
            .isNotEmpty();
        assertThat(scripted.generate(ids, 12, NextToken.sampled(1.0, 7)))
            .isEqualTo(blocks.generate(ids, 12, NextToken.sampled(1.0, 7)));
      }
      assertThatThrownBy(() -> scripted.generate(new long[60], 8, NextToken.greedy()))
          .hasMessageContaining("60 prompt tokens + 8 new ones do not fit 64");
    }
  }

  @Test
  void aDirectoryWithoutATracedModuleIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> TorchScriptGenerator.load(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("config.json");
  }
}
