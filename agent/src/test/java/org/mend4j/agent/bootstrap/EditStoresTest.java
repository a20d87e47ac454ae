package org.mend4j.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.agent.persist.DirectoryEditStore;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.persist.PostgresEditStore;

class EditStoresTest {

  @TempDir Path dir;

  private static EditStore open(String args, Map<String, String> env, List<String> problems) {
    return EditStores.open(AgentSettings.of(args, Map.of(), env).store(), problems);
  }

  private static AgentSettings.Store store(
      String args, Map<String, String> props, Map<String, String> env) {
    return AgentSettings.of(args, props, env).store();
  }

  @Test
  void aPostgresUrlWinsOverTheEditsDirectoryWithAWarning() {
    List<String> problems = new ArrayList<>();
    EditStore store =
        open(
            "store=jdbc:postgresql://127.0.0.1:5432/mend4j?password=inline,edits=" + dir,
            Map.of(),
            problems);
    assertThat(store).isInstanceOf(PostgresEditStore.class);
    assertThat(store.location())
        .as("the query, which may hold credentials, is never shown")
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/mend4j");
    assertThat(problems).singleElement().asString().contains("edits=" + dir + " ignored");
  }

  @Test
  void anotherUrlIsRefusedAndTheDirectoryKept() {
    List<String> problems = new ArrayList<>();
    EditStore store =
        open("store=jdbc:mysql://h/db?password=secret,edits=" + dir, Map.of(), problems);
    assertThat(store).isInstanceOf(DirectoryEditStore.class);
    assertThat(store.location()).isEqualTo(dir.toString());
    assertThat(problems)
        .singleElement()
        .asString()
        .contains("must be a jdbc:postgresql://HOST:PORT/DB URL")
        .doesNotContain("secret");
  }

  @Test
  void thePasswordComesFromItsFileOrTheEnvironmentAndAnUnreadableFileIsReportedWithoutIt()
      throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "from-file\n");
    List<String> problems = new ArrayList<>();
    assertThat(
            open(
                "store=jdbc:postgresql://h/db,store.password.file=" + file,
                Map.of("MEND4J_STORE_PASSWORD", "from-env"),
                problems))
        .isInstanceOf(PostgresEditStore.class);
    assertThat(
            EditStores.password(store("store.password.file=" + file, Map.of(), Map.of()), problems))
        .isEqualTo("from-file");
    assertThat(
            EditStores.password(
                store(null, Map.of(), Map.of("MEND4J_STORE_PASSWORD", "from-env")), problems))
        .isEqualTo("from-env");
    assertThat(
            EditStores.password(
                store("store.password=from-args", Map.of("mend4j.store.password", "p"), Map.of()),
                problems))
        .as("never from agent arguments or system properties")
        .isNull();
    assertThat(problems).isEmpty();
    assertThat(
            EditStores.password(
                store("store.password.file=" + dir.resolve("missing"), Map.of(), Map.of()),
                problems))
        .isNull();
    assertThat(problems).singleElement().asString().contains("cannot read store.password.file");
  }
}
