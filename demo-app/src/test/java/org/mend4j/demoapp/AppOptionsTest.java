package org.mend4j.demoapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppOptionsTest {

  @Test
  void defaultsServeTheWorldModelOnLoopback() {
    AppOptions options = AppOptions.parse();
    assertThat(options.model()).isEqualTo(Path.of("models", "world-gpt2"));
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.threads()).isPositive();
  }

  @Test
  void readsEveryOption() {
    AppOptions options =
        AppOptions.parse("--model", "m", "--port", "0", "--threads", "8", "--host", "0.0.0.0");
    assertThat(options).isEqualTo(new AppOptions(Path.of("m"), "0.0.0.0", 0, 8, false));
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> AppOptions.parse("--port", "70000"))
        .hasMessageContaining("--port needs an integer in 0..65535, found: 70000");
    assertThatThrownBy(() -> AppOptions.parse("--threads", "0")).hasMessageContaining("--threads");
    assertThatThrownBy(() -> AppOptions.parse("--colour", "red"))
        .hasMessageContaining("unknown option: --colour");
    assertThatThrownBy(() -> AppOptions.parse("--model")).hasMessageContaining("--model");
  }

  @Test
  void aMissingModelDirectoryIsAClearError(@TempDir Path dir) {
    Path missing = dir.resolve("models/world-gpt2");
    assertThatThrownBy(() -> DemoApp.start(new AppOptions(missing, "127.0.0.1", 0, 1, false)))
        .hasMessageContaining("model directory " + missing + " does not exist")
        .hasMessageContaining("--model DIR");
  }
}
