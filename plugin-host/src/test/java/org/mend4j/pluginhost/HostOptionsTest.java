package org.mend4j.pluginhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostOptionsTest {

  private static final Path LIB = Path.of("target/plugin-lib");

  @Test
  void parsesEveryOptionAndDefaultsTheRest() {
    assertThat(HostOptions.parse(LIB, "--ports=8081,8082"))
        .isEqualTo(new HostOptions(Path.of("models/world-gpt2"), List.of(8081, 8082), LIB, 0));
    assertThat(
            HostOptions.parse(LIB, "--model=m", "--ports=1, 2,3", "--plugin-lib=/p", "--threads=2"))
        .isEqualTo(new HostOptions(Path.of("m"), List.of(1, 2, 3), Path.of("/p"), 2));
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> HostOptions.parse(LIB)).hasMessageContaining("missing --ports");
    assertThatThrownBy(() -> HostOptions.parse(LIB, "--ports", "1"))
        .hasMessage("expected --option=value, found: --ports");
    assertThatThrownBy(() -> HostOptions.parse(LIB, "--ports=1,1"))
        .hasMessageContaining("lists 1 twice");
    assertThatThrownBy(() -> HostOptions.parse(LIB, "--ports=1,"))
        .hasMessage("--ports needs integers in 1..65535, found: ");
    assertThatThrownBy(() -> HostOptions.parse(LIB, "--ports=1", "--threads=0"))
        .hasMessageContaining("--threads needs integers in 1..1024");
    assertThatThrownBy(() -> HostOptions.parse(LIB, "--ports=1", "--port=2"))
        .hasMessage("unknown option: --port=2");
  }
}
