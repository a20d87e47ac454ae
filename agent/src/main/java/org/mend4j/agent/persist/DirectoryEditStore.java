package org.mend4j.agent.persist;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Variant;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditDirectory;
import org.mend4j.runtime.edit.EditFile;

/**
 * The {@code edits} directory: edit files ({@code *.mend.safetensors}; those the agent writes are
 * named {@code ID.mend.safetensors}) and {@code state.json} ({@link PersistedState}).
 *
 * <p>At start, {@link #load} registers every edit file, in the order {@code state.json} records
 * (files it does not know after them, by name), with the enabled flag it records (files it does not
 * know: enabled unless listed in {@code edits.disabled}), and restores the variants. A corrupted,
 * truncated or foreign file is skipped with a message naming it and the others load; an unreadable
 * {@code state.json} is reported by name and every edit then loads <em>disabled</em> (an edit an
 * operator switched off must not come back on by accident) until the next change rewrites it.
 *
 * <p>A change ({@link #commit}) is written before it is applied: a new edit's state entry first and
 * its file second, a removed edit's file first and its state entry second, so a crash in between
 * leaves at most a state entry without a file, which the next start reports and ignores.
 *
 * <p>Without a directory the store keeps nothing ({@link #persistent()} is false).
 */
public final class DirectoryEditStore implements EditStore {

  /** The state file's name. */
  public static final String STATE_FILE = "state.json";

  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  private final Path dir;
  private final Map<String, String> files = new ConcurrentHashMap<>();

  private DirectoryEditStore(Path dir) {
    this.dir = dir;
  }

  /** A store in {@code dir}, or one that keeps nothing if {@code dir} is null. */
  public static DirectoryEditStore of(Path dir) {
    return new DirectoryEditStore(dir == null ? null : dir.toAbsolutePath().normalize());
  }

  /** Whether changes are written to a directory. */
  @Override
  public boolean persistent() {
    return dir != null;
  }

  @Override
  public String location() {
    return dir == null ? "memory (no edits directory)" : dir.toString();
  }

  @Override
  public JsonObject status() {
    JsonObject json = new JsonObject();
    json.addProperty("kind", dir == null ? "memory" : "directory");
    json.addProperty("location", location());
    return json;
  }

  @Override
  public synchronized void commit(EditRegistry registry, StateChange change) throws IOException {
    PersistedState latest = PersistedState.of(registry.current());
    PersistedState next = change.apply(latest);
    Edit added = change.addedEdit();
    if (added != null) {
      saveState(next);
      saveEdit(added.id(), change.addedFile());
    } else if (change.removedEdit() != null) {
      deleteEdit(change.removedEdit());
      saveState(next);
    } else if (next.equals(latest)) {
      return; // nothing changes, nothing is written or swapped
    } else {
      saveState(next);
    }
    RegistryUpdate.apply(
        registry, next, added == null ? Map.of() : Map.of(added.id(), added), change.source());
  }

  /** The directory, or null. */
  public Path dir() {
    return dir;
  }

  /**
   * Whether an edit id can name a file and a URL path segment: letters, digits, {@code . _ -}, not
   * starting with a dot, at most 128 characters.
   */
  public static boolean isSafeId(String id) {
    return id != null && SAFE_ID.matcher(id).matches();
  }

  /**
   * Registers the directory's edits and variants.
   *
   * @param registry where to register them
   * @param disabledByConfig ids that start disabled unless {@code state.json} says otherwise
   * @return the number of edits registered
   */
  @Override
  public int load(EditRegistry registry, Set<String> disabledByConfig) {
    if (dir == null) {
      return 0;
    }
    if (!Files.isDirectory(dir)) {
      AgentLog.info(
          "edit directory " + dir + " does not exist yet; it is created on the first change");
      return 0;
    }
    removeStaleTemporaries();
    Path stateFile = dir.resolve(STATE_FILE);
    PersistedState state = null;
    boolean stateBroken = false;
    if (Files.isRegularFile(stateFile)) {
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
    List<Path> paths = editFiles();
    List<Loaded> loaded = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (Path file : paths) {
      String name = file.getFileName().toString();
      try {
        Edit edit = EditFile.read(file);
        if (!isSafeId(edit.id())) {
          throw new IllegalArgumentException("its edit id '" + edit.id() + "' is not a safe name");
        }
        if (!ids.add(edit.id())) {
          throw new IllegalArgumentException("edit " + edit.id() + " is already in another file");
        }
        loaded.add(new Loaded(name, edit));
      } catch (RuntimeException e) {
        AgentLog.warn("skipped edit file " + file + ": " + e.getMessage());
      }
    }
    PersistedState order = state;
    if (order != null) {
      loaded.sort(Comparator.comparingInt((Loaded l) -> order.order(l.edit().id())));
    }
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
      restoreVariants(state, ids, registry);
    }
    AgentLog.info("loaded " + loaded.size() + " of " + paths.size() + " edit files from " + dir);
    return loaded.size();
  }

  private record Loaded(String file, Edit edit) {}

  private void restoreVariants(PersistedState state, Set<String> ids, EditRegistry registry) {
    for (String id : state.enabled().keySet()) {
      if (!ids.contains(id)) {
        AgentLog.warn(
            dir.resolve(STATE_FILE) + " lists edit " + id + ", but no edit file holds it");
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

  /**
   * Writes the file of edit {@code id} ({@code ID.mend.safetensors}) from its {@link
   * EditFile#bytes}; nothing without a directory.
   */
  public void saveEdit(String id, byte[] file) throws IOException {
    if (dir == null) {
      return;
    }
    String name = id + EditFile.SUFFIX;
    AtomicFiles.write(dir.resolve(name), file);
    files.put(id, name);
  }

  /** Deletes an edit's file, if this store wrote or loaded one. */
  public void deleteEdit(String id) throws IOException {
    String name = files.remove(id);
    if (dir != null && name != null) {
      AtomicFiles.delete(dir.resolve(name));
    }
  }

  /** Writes {@code state.json}; nothing without a directory. */
  public void saveState(PersistedState state) throws IOException {
    if (dir != null) {
      AtomicFiles.write(dir.resolve(STATE_FILE), state.toJson().getBytes(StandardCharsets.UTF_8));
    }
  }
}
