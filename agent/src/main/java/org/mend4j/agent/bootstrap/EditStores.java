package org.mend4j.agent.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.persist.PostgresEditStore;

/**
 * Chooses the edit store from the configuration: the fleet's PostgreSQL database if {@code store}
 * is set, else the {@code edits} directory (or none). The password is read from {@code
 * store.password.file} or {@code MEND4J_STORE_PASSWORD} and never logged.
 */
final class EditStores {

  private EditStores() {}

  static EditStore open(AgentConfig config, List<String> problems) {
    Optional<String> url = config.get(AgentConfig.STORE);
    Optional<Path> dir = config.get(AgentConfig.EDITS).map(Path::of);
    if (url.isEmpty()) {
      return EditStore.of(dir.orElse(null));
    }
    if (!PostgresEditStore.accepts(url.get())) {
      problems.add(
          AgentConfig.STORE
              + " must be a jdbc:postgresql://HOST:PORT/DB URL, found '"
              + url.get().replaceAll("\\?.*", "?...")
              + "'; using "
              + dir.map(d -> "the edits directory " + d).orElse("no store"));
      return EditStore.of(dir.orElse(null));
    }
    if (dir.isPresent()) {
      problems.add(
          AgentConfig.EDITS
              + "="
              + dir.get()
              + " ignored: "
              + AgentConfig.STORE
              + " is set, and the fleet's edits live there");
    }
    return new PostgresEditStore(
        url.get(),
        config.get(AgentConfig.STORE_USER).orElse(null),
        password(config, problems),
        config.positiveLong(AgentConfig.STORE_POLL_MS, 1000),
        config.get(AgentConfig.STORE_REPLICA).orElseGet(EditStores::defaultReplica));
  }

  static String password(AgentConfig config, List<String> problems) {
    Optional<String> file = config.get(AgentConfig.STORE_PASSWORD_FILE);
    if (file.isPresent()) {
      try {
        return Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException e) {
        problems.add(
            "cannot read "
                + AgentConfig.STORE_PASSWORD_FILE
                + " "
                + file.get()
                + " ("
                + e.getClass().getSimpleName()
                + "); connecting without a password");
        return null;
      }
    }
    return config.environment(AgentConfig.STORE_PASSWORD_ENV).orElse(null);
  }

  /** {@code HOST/PID}, the host from {@code HOSTNAME} (no name lookup while the host starts). */
  private static String defaultReplica() {
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "localhost" : host)
        + "/"
        + ProcessHandle.current().pid();
  }
}
