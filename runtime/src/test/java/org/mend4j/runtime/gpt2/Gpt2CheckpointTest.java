package org.mend4j.runtime.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.safetensors.SafeTensorsException;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;
import org.mend4j.runtime.testing.TestModels;
import org.mend4j.runtime.testing.TestWeights;

class Gpt2CheckpointTest {

  @TempDir Path dir;
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void saveThenLoadGivesIdenticalTensors() {
    Gpt2Weights original = TestWeights.nonTrivial(TestWeights.smallConfig(), 3, manager);
    Gpt2Checkpoint.save(original.config(), original.tensors(), dir);
    Gpt2Weights loaded = Gpt2Checkpoint.load(dir, manager);
    assertThat(loaded.config()).isEqualTo(original.config());
    original
        .tensors()
        .forEach(
            (name, array) ->
                assertThat(loaded.base(name).toFloatArray())
                    .as(name)
                    .containsExactly(array.toFloatArray()));
  }

  @Test
  void loadsCheckpointsWithoutTheTransformerPrefix() throws IOException {
    Gpt2Weights prefixed = Gpt2Checkpoint.load(TestModels.tinyRandomGpt2(), manager);
    Files.copy(TestModels.tinyRandomGpt2().resolve("config.json"), dir.resolve("config.json"));
    SafeTensorsWriter writer = new SafeTensorsWriter().metadata("format", "pt");
    for (Map.Entry<String, ai.djl.ndarray.NDArray> e : prefixed.tensors().entrySet()) {
      writer.add(
          e.getKey().substring(Gpt2Names.PREFIX.length()),
          e.getValue().getShape().getShape(),
          e.getValue().toFloatArray());
    }
    writer.write(dir.resolve("model.safetensors"));
    Gpt2Weights bare = Gpt2Checkpoint.load(dir, manager);
    assertThat(bare.base("transformer.h.4.mlp.c_proj.weight").toFloatArray())
        .containsExactly(prefixed.base("transformer.h.4.mlp.c_proj.weight").toFloatArray());
    assertThat(bare.base(Gpt2Names.LM_HEAD)).isSameAs(bare.base("transformer.wte.weight"));
  }

  @Test
  void missingTensorNamesFileAndTensor() throws IOException {
    Files.copy(TestModels.tinyRandomGpt2().resolve("config.json"), dir.resolve("config.json"));
    SafeTensorsFile full =
        SafeTensorsFile.open(TestModels.tinyRandomGpt2().resolve("model.safetensors"));
    SafeTensorsWriter writer = new SafeTensorsWriter();
    full.tensors().values().stream()
        .filter(t -> !t.name().equals("transformer.h.2.ln_2.bias"))
        .forEach(t -> writer.add(t.name(), t.shape(), full.floats(t.name())));
    writer.write(dir.resolve("model.safetensors"));
    assertThatThrownBy(() -> Gpt2Checkpoint.load(dir, manager))
        .isInstanceOf(SafeTensorsException.class)
        .hasMessageContaining(dir.resolve("model.safetensors").toString())
        .hasMessageContaining("transformer.h.2.ln_2.bias")
        .hasMessageContaining("missing");
  }

  @Test
  void shapeMismatchWithConfigIsNamed() throws IOException {
    Files.copy(
        TestModels.tinyRandomGpt2().resolve("model.safetensors"), dir.resolve("model.safetensors"));
    Files.writeString(
        dir.resolve("config.json"),
        Files.readString(TestModels.tinyRandomGpt2().resolve("config.json"))
            .replace("\"n_inner\": null", "\"n_inner\": 64"));
    assertThatThrownBy(() -> Gpt2Checkpoint.load(dir, manager))
        .hasMessageContaining("transformer.h.0.mlp.c_fc.weight")
        .hasMessageContaining("shape [32, 128] but config.json implies [32, 64]");
  }

  @Test
  void missingDirectoryAndFilesAreClearErrors() throws IOException {
    assertThatThrownBy(() -> Gpt2Checkpoint.load(dir.resolve("absent"), manager))
        .hasMessageContaining("model directory not found");
    Files.writeString(dir.resolve("config.json"), "{}");
    assertThatThrownBy(() -> Gpt2Checkpoint.load(dir, manager))
        .hasMessageContaining("model.safetensors");
  }
}
