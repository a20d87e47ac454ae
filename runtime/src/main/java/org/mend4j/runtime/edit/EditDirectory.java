package org.mend4j.runtime.edit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An agent's {@code edits} directory read as the agent's default variant serves it: the enabled
 * edits, in the order {@code state.json} records (files it does not list after them, by name, and
 * enabled), so a tool outside the service (a merge) gets exactly the edits the service applies.
 *
 * <p>Where the agent would skip something with a warning and go on serving, this reader refuses: an
 * unreadable file or {@code state.json} names what is wrong, because a checkpoint made from part of
 * the edits would silently differ from the service. It reads only the {@code edits} part of {@code
 * state.json} ({@code {"format": "mend4j.state/1", "edits": [{"id", "enabled"}]}}); the agent's own
 * reader also restores variants.
 */
public final class EditDirectory {

  /** The agent's state file in an edits directory. */
  public static final String STATE_FILE = "state.json";

  private static final String STATE_FORMAT = "mend4j.state/1";

  /**
   * One edit of the directory.
   *
   * @param file its file
   * @param edit the edit read from it (verified)
   * @param enabled whether the agent serves it by default
   */
  public record Entry(Path file, Edit edit, boolean enabled) {}

  private EditDirectory() {}

  /**
   * Every edit of an agent's edits directory, in the agent's order, with its enabled flag.
   *
   * @throws IllegalArgumentException naming the file if the directory, an edit file or {@code
   *     state.json} cannot be read
   */
  public static List<Entry> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("edits directory not found: " + dir);
    }
    Map<String, Boolean> state = state(dir.resolve(STATE_FILE));
    List<Entry> entries = new ArrayList<>();
    Map<String, Path> seen = new LinkedHashMap<>();
    for (Path file : editFiles(dir)) {
      Edit edit = EditFile.read(file);
      Path other = seen.put(edit.id(), file);
      if (other != null) {
        throw new IllegalArgumentException(
            file + ": edit " + edit.id() + " is already in " + other.getFileName());
      }
      entries.add(new Entry(file, edit, state.getOrDefault(edit.id(), true)));
    }
    List<String> order = new ArrayList<>(state.keySet());
    entries.sort(
        Comparator.comparingInt(
            e -> order.contains(e.edit().id()) ? order.indexOf(e.edit().id()) : order.size()));
    return entries;
  }

  /**
   * The edit files of a directory, by name: {@code *.mend.safetensors}, regular, not hidden (the
   * agent's temporary files start with a dot).
   *
   * @throws UncheckedIOException if the directory cannot be listed
   */
  public static List<Path> editFiles(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().endsWith(EditFile.SUFFIX))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list edits directory " + dir, e);
    }
  }

  /** Edit id to enabled flag, in the recorded order; empty when there is no state file. */
  private static Map<String, Boolean> state(Path file) {
    Map<String, Boolean> enabled = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return enabled;
    }
    try {
      JsonObject json =
          JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      JsonElement format = json.get("format");
      if (format == null || !STATE_FORMAT.equals(format.getAsString())) {
        throw new IllegalArgumentException("format is " + format + ", expected " + STATE_FORMAT);
      }
      for (JsonElement e : json.getAsJsonArray("edits")) {
        JsonObject o = e.getAsJsonObject();
        enabled.put(o.get("id").getAsString(), o.get("enabled").getAsBoolean());
      }
      return enabled;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          file
              + " is unreadable ("
              + e.getMessage()
              + "): the agent would serve every edit disabled",
          e);
    }
  }
}
