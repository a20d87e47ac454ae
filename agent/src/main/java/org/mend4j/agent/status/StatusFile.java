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
 * rename), so a reader never sees half a document, and once more when the JVM exits, so the file a
 * process leaves behind holds its final counters whatever the interval and however busy the machine
 * was. The minimal way to read the agent's counters from outside; it never blocks the host.
 */
public final class StatusFile {

  private StatusFile() {}

  /**
   * Starts the writer thread and registers the last write at exit.
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
                failed = !writeOrWarn(file, status, failed);
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
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> writeOrWarn(file, status, false), "mend4j-status-exit"));
  }

  /**
   * Writes the file once; a failure is logged unless the previous write failed too.
   *
   * @return whether the write succeeded
   */
  private static boolean writeOrWarn(Path file, Supplier<String> status, boolean failedBefore) {
    try {
      write(file, status.get());
      return true;
    } catch (IOException | RuntimeException e) {
      if (!failedBefore) {
        AgentLog.warn("cannot write status file " + file + ": " + e);
      }
      return false;
    }
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
