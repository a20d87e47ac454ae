package org.mend4j.agent.persist;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;

/**
 * The {@code edits} directory: edit files ({@code *.mend.safetensors}; those the agent writes are
 * named {@code ID.mend.safetensors}) and {@code state.json} ({@link PersistedState}).
 *
 * <p>At start, {@link #load} registers every edit file with the flag {@code state.json} records and
 * restores the variants ({@link DirectoryLoad} says how, and what a broken file does); an
 * unreadable {@code state.json} is left as it is until the next change rewrites it.
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
    Map<String, String> loaded = new DirectoryLoad(dir).into(registry, disabledByConfig);
    files.putAll(loaded);
    return loaded.size();
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
