package org.mend4j.agent.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;

/**
 * Loads the edit files ({@code *.mend.safetensors}) of a directory into a registry, in file-name
 * order. A file that is corrupted, truncated or not an edit is skipped with a message naming it;
 * the others load.
 */
public final class EditDirectory {

  private EditDirectory() {}

  /**
   * Registers every edit file in {@code dir}.
   *
   * @param dir the directory (not searched recursively)
   * @param disabled ids of edits to register disabled
   * @param registry where to register them
   * @return the number of edits registered
   */
  public static int load(Path dir, Set<String> disabled, EditRegistry registry) {
    if (!Files.isDirectory(dir)) {
      AgentLog.warn("edit directory " + dir.toAbsolutePath() + " does not exist; no edits loaded");
      return 0;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(p -> p.getFileName().toString().endsWith(EditFile.SUFFIX))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      AgentLog.warn("cannot list edit directory " + dir + ": " + e.getMessage());
      return 0;
    }
    int loaded = 0;
    for (Path file : files) {
      try {
        Edit edit = EditFile.read(file);
        registry.add(edit, !disabled.contains(edit.id()), file.getFileName().toString());
        loaded++;
      } catch (RuntimeException e) {
        AgentLog.warn("skipped edit file " + file + ": " + e.getMessage());
      }
    }
    AgentLog.info(
        "loaded " + loaded + " of " + files.size() + " edit files from " + dir.toAbsolutePath());
    return loaded;
  }
}
