package org.mend4j.agent.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import org.mend4j.agent.internal.AgentLog;

/**
 * Rewrites a status file every interval from a daemon thread, atomically (temporary file, then
 * rename), so a reader never sees half a document. The minimal way to read the agent's counters
 * from outside until the admin API exists; it never blocks the host.
 */
public final class StatusFile {

  private StatusFile() {}

  /**
   * Starts the writer thread.
   *
   * @param file the status file
   * @param intervalMillis time between writes
   * @param status produces the document's text
   */
  public static void start(Path file, long intervalMillis, Supplier<String> status) {
    Thread writer =
        new Thread(
            () -> {
              boolean failed = false;
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  write(file, status.get());
                  failed = false;
                } catch (IOException | RuntimeException e) {
                  if (!failed) {
                    AgentLog.warn("cannot write status file " + file + ": " + e);
                  }
                  failed = true;
                }
                try {
                  Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "mend4j-status");
    writer.setDaemon(true);
    writer.start();
  }

  static void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".mend4j-status", ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
