package org.mend4j.runtime.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's edits directory read in the agent's order, refused where the agent would guess. */
class EditDirectoryTest {

  @TempDir Path dir;

  @Test
  void ordersByStateThenByNameWithTheRecordedFlags() throws IOException {
    Edit a = EditFileTest.sample("sha256:a");
    Edit b = EditFileTest.sample("sha256:b");
    Edit c = EditFileTest.sample("sha256:c");
    EditFile.write(a, dir.resolve("a" + EditFile.SUFFIX));
    EditFile.write(b, dir.resolve("b" + EditFile.SUFFIX));
    EditFile.write(c, dir.resolve("c" + EditFile.SUFFIX));
    Files.writeString(dir.resolve(".tmp-d" + EditFile.SUFFIX), "a temporary file of the agent");
    state(
        "{\"id\": \"%s\", \"enabled\": false}, {\"id\": \"%s\", \"enabled\": true}"
            .formatted(c.id(), a.id()));

    List<EditDirectory.Entry> entries = EditDirectory.read(dir);

    assertThat(entries).extracting(e -> e.edit().id()).containsExactly(c.id(), a.id(), b.id());
    assertThat(entries).extracting(EditDirectory.Entry::enabled).containsExactly(false, true, true);
  }

  @Test
  void refusesAnUnreadableStateFileOrEditFile() throws IOException {
    EditFile.write(EditFileTest.sample("sha256:a"), dir.resolve("a" + EditFile.SUFFIX));
    Files.writeString(dir.resolve(EditDirectory.STATE_FILE), "{\"format\": \"mend4j.state/9\"}");

    assertThatThrownBy(() -> EditDirectory.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("state.json is unreadable")
        .hasMessageContaining("mend4j.state/1");

    Files.delete(dir.resolve(EditDirectory.STATE_FILE));
    Files.writeString(dir.resolve("broken" + EditFile.SUFFIX), "not safetensors");
    assertThatThrownBy(() -> EditDirectory.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken" + EditFile.SUFFIX);
  }

  private void state(String edits) throws IOException {
    Files.writeString(
        dir.resolve(EditDirectory.STATE_FILE),
        "{\"format\": \"mend4j.state/1\", \"edits\": [" + edits + "], \"variants\": []}");
  }
}
