package org.mend4j.runtime.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.testing.TestModels;

class Gpt2ConfigTest {

  @TempDir Path dir;

  @Test
  void readsHfConfigAndDerivesDefaults() {
    Gpt2Config c = Gpt2Config.read(TestModels.tinyRandomGpt2().resolve("config.json"));
    assertThat(c.nEmbd()).isEqualTo(32);
    assertThat(c.nLayer()).isEqualTo(5);
    assertThat(c.nHead()).isEqualTo(4);
    assertThat(c.nInner()).isEqualTo(128);
    assertThat(c.vocabSize()).isEqualTo(1000);
    assertThat(c.eosTokenId()).isEqualTo(98);
    assertThat(c.tieWordEmbeddings()).isTrue();
  }

  @Test
  void missingRequiredFieldIsNamed() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("config.json"),
            "{\"n_embd\": 8, \"n_head\": 2, \"n_positions\": 4, \"vocab_size\": 9, \"extra\": true}");
    assertThatThrownBy(() -> Gpt2Config.read(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("missing required field 'n_layer'");
  }

  @Test
  void unsupportedActivationIsRefused() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("config.json"),
            "{\"n_embd\": 8, \"n_layer\": 1, \"n_head\": 2, \"n_positions\": 4, \"vocab_size\": 9, \"activation_function\": \"relu\"}");
    assertThatThrownBy(() -> Gpt2Config.read(file))
        .hasMessageContaining("activation_function 'relu'");
  }

  @Test
  void writeThenReadRoundTrips() {
    Gpt2Config c = new Gpt2Config(24, 3, 4, 64, 321, 1e-5f, 96, "gelu_new", true, 320);
    c.write(dir.resolve("config.json"));
    assertThat(Gpt2Config.read(dir.resolve("config.json"))).isEqualTo(c);
  }
}
