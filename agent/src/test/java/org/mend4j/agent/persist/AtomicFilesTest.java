package org.mend4j.agent.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void replacesTheFileWholeAndLeavesNoTemporary() throws Exception {
    Path f = dir.resolve("sub/state.json");
    AtomicFiles.write(f, "one".getBytes());
    AtomicFiles.write(f, "two".getBytes());
    assertThat(Files.readString(f)).isEqualTo("two");
    try (var files = Files.list(f.getParent())) {
      assertThat(files).containsExactly(f);
    }
    assertThat(AtomicFiles.delete(f)).isTrue();
    assertThat(AtomicFiles.delete(f)).isFalse();
  }
}
