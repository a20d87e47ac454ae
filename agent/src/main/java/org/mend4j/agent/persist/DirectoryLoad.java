package org.mend4j.agent.persist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Variant;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditDirectory;
import org.mend4j.runtime.edit.EditFile;

/**
 * One start-up read of an edits directory into a registry: every edit file, in the order {@code
 * state.json} records (files it does not know after them, by name), with the enabled flag it
 * records (files it does not know: enabled unless listed in {@code edits.disabled}), then the
 * variants. A corrupted, truncated or foreign file is skipped with a message naming it and the
 * others load; an unreadable {@code state.json} is reported by name and every edit then loads
 * <em>disabled</em> (an edit an operator switched off must not come back on by accident). Temporary
 * files a crashed write left are removed first.
 */
final class DirectoryLoad {

  private record Loaded(String file, Edit edit) {}

  private final Path dir;
  private final Path stateFile;
  private PersistedState state;
  private boolean stateBroken;

  /** A read of {@code dir}, which exists. */
  DirectoryLoad(Path dir) {
    this.dir = dir;
    this.stateFile = dir.resolve(DirectoryEditStore.STATE_FILE);
  }

  /**
   * Registers the directory's edits and variants.
   *
   * @param registry where to register them
   * @param disabledByConfig ids that start disabled unless {@code state.json} says otherwise
   * @return the file name of each edit registered, by id, in registration order
   */
  Map<String, String> into(EditRegistry registry, Set<String> disabledByConfig) {
    removeStaleTemporaries();
    readState();
    List<Path> paths = editFiles();
    List<Loaded> loaded = readEdits(paths);
    Map<String, String> files = new LinkedHashMap<>();
    for (Loaded l : loaded) {
      String id = l.edit().id();
      boolean enabled =
          state != null && state.enabled().containsKey(id)
              ? state.enabled().get(id)
              : !stateBroken && !disabledByConfig.contains(id);
      registry.add(l.edit(), enabled, l.file());
      files.put(id, l.file());
    }
    if (state != null) {
      restoreVariants(files.keySet(), registry);
    }
    AgentLog.info("loaded " + loaded.size() + " of " + paths.size() + " edit files from " + dir);
    return files;
  }

  private void readState() {
    if (!Files.isRegularFile(stateFile)) {
      return;
    }
    try {
      state = PersistedState.parse(Files.readString(stateFile, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      stateBroken = true;
      AgentLog.warn(
          "ERROR state file "
              + stateFile
              + " is unreadable ("
              + e.getMessage()
              + "): every edit loads disabled and no variant is restored; the next change"
              + " rewrites it");
    }
  }

  /** The edits of {@code paths} that read, with safe and distinct ids, in the state's order. */
  private List<Loaded> readEdits(List<Path> paths) {
    List<Loaded> loaded = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (Path file : paths) {
      try {
        Edit edit = EditFile.read(file);
        if (!DirectoryEditStore.isSafeId(edit.id())) {
          throw new IllegalArgumentException("its edit id '" + edit.id() + "' is not a safe name");
        }
        if (!ids.add(edit.id())) {
          throw new IllegalArgumentException("edit " + edit.id() + " is already in another file");
        }
        loaded.add(new Loaded(file.getFileName().toString(), edit));
      } catch (RuntimeException e) {
        AgentLog.warn("skipped edit file " + file + ": " + e.getMessage());
      }
    }
    PersistedState order = state;
    if (order != null) {
      loaded.sort(Comparator.comparingInt((Loaded l) -> order.order(l.edit().id())));
    }
    return loaded;
  }

  private void restoreVariants(Set<String> ids, EditRegistry registry) {
    for (String id : state.enabled().keySet()) {
      if (!ids.contains(id)) {
        AgentLog.warn(stateFile + " lists edit " + id + ", but no edit file holds it");
      }
    }
    for (Variant v : state.variants().values()) {
      Variant known = v.restrictedTo(ids);
      if (known.editIds().size() < v.editIds().size()) {
        AgentLog.warn("variant '" + v.name() + "' restored without its missing edits");
      }
      try {
        registry.putVariant(known);
      } catch (IllegalArgumentException e) {
        AgentLog.warn("variant '" + v.name() + "' not restored: " + e.getMessage());
      }
    }
  }

  private List<Path> editFiles() {
    try {
      return EditDirectory.editFiles(dir);
    } catch (UncheckedIOException e) {
      AgentLog.warn("cannot list edit directory " + dir + ": " + e.getCause().getMessage());
      return List.of();
    }
  }

  private void removeStaleTemporaries() {
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        if (p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      AgentLog.warn("cannot clean temporary files in " + dir + ": " + e.getMessage());
    }
  }
}
