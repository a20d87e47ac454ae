package org.mend4j.tests.support;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.service.JavaAgent;

/** Helpers for running hosts with the real shaded agent jar. */
public final class AgentRun {

  private AgentRun() {}

  /**
   * The {@code -javaagent:} argument with {@code key=value} agent arguments.
   *
   * @param args agent arguments in order (e.g. {@code edits}, {@code status.file})
   */
  public static String javaagent(Map<String, String> args) {
    return javaagent(TestPaths.agentJar(), args);
  }

  /**
   * The {@code -javaagent:} argument for a given agent jar (e.g. an earlier build, to compare).
   *
   * @param jar the agent jar
   * @param args agent arguments in order
   */
  public static String javaagent(Path jar, Map<String, String> args) {
    return JavaAgent.option(jar, args);
  }

  /** Agent arguments: edits directory and status file (written every 100 ms). */
  public static Map<String, String> args(Path edits, Path status) {
    Map<String, String> args = new LinkedHashMap<>();
    if (edits != null) {
      args.put("edits", edits.toString());
    }
    if (status != null) {
      args.put("status.file", status.toString());
      args.put("status.interval.ms", "100");
    }
    return args;
  }

  /** A fresh directory holding {@code edits} as edit files. */
  public static Path editDir(Path parent, String name, Edit... edits) throws IOException {
    Path dir = parent.resolve(name);
    Files.createDirectories(dir);
    for (Edit e : edits) {
      EditFile.write(e, dir.resolve(e.id() + EditFile.SUFFIX));
    }
    return dir;
  }

  /**
   * Waits until the status file satisfies {@code condition} and returns it.
   *
   * @throws IOException if it does not within {@code timeout}
   */
  public static JsonObject awaitStatus(Path file, Predicate<JsonObject> condition, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      if (Files.isRegularFile(file)) {
        try {
          last = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
          if (condition.test(last)) {
            return last;
          }
        } catch (RuntimeException | IOException e) {
          // being replaced; read again
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw new IOException("status " + file + " did not reach the expected state: " + last);
  }

  /** A counter from a status document. */
  public static long counter(JsonObject status, String name) {
    return status.getAsJsonObject("counters").get(name).getAsLong();
  }
}
