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

  static EditStore open(AgentSettings.Store settings, List<String> problems) {
    Optional<String> url = settings.url();
    Optional<Path> dir = settings.editsDir();
    if (url.isEmpty()) {
      return EditStore.of(dir.orElse(null));
    }
    if (!PostgresEditStore.accepts(url.get())) {
      problems.add(
          SettingKeys.STORE.name()
              + " must be a jdbc:postgresql://HOST:PORT/DB URL, found '"
              + url.get().replaceAll("\\?.*", "?...")
              + "'; using "
              + dir.map(d -> "the edits directory " + d).orElse("no store"));
      return EditStore.of(dir.orElse(null));
    }
    if (dir.isPresent()) {
      problems.add(
          SettingKeys.EDITS.name()
              + "="
              + dir.get()
              + " ignored: "
              + SettingKeys.STORE.name()
              + " is set, and the fleet's edits live there");
    }
    return new PostgresEditStore(
        url.get(),
        settings.user().orElse(null),
        password(settings, problems),
        settings.pollMillis(),
        settings.replica());
  }

  static String password(AgentSettings.Store settings, List<String> problems) {
    Optional<Path> file = settings.passwordFile();
    if (file.isPresent()) {
      try {
        return Files.readString(file.get(), StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException e) {
        problems.add(
            "cannot read "
                + SettingKeys.STORE_PASSWORD_FILE.name()
                + " "
                + file.get()
                + " ("
                + e.getClass().getSimpleName()
                + "); connecting without a password");
        return null;
      }
    }
    return settings.passwordFromEnvironment().value();
  }
}
