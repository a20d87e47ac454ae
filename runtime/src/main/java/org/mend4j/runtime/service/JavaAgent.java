package org.mend4j.runtime.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;

/** The {@code -javaagent:} option that starts a child JVM with the mend4j agent. */
public final class JavaAgent {

  private JavaAgent() {}

  /**
   * {@code -javaagent:JAR=k1=v1,k2=v2} with the agent arguments in their order.
   *
   * @param jar the shaded agent jar
   * @param args agent arguments (e.g. {@code edits}, {@code admin.port})
   * @throws IllegalStateException if the jar is missing
   */
  public static String option(Path jar, Map<String, String> args) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it with 'mvn -pl agent package'");
    }
    StringJoiner joined = new StringJoiner(",");
    args.forEach((k, v) -> joined.add(k + "=" + v));
    return "-javaagent:" + jar + (args.isEmpty() ? "" : "=" + joined);
  }
}
