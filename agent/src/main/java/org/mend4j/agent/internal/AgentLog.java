package org.mend4j.agent.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The agent's only logger: one line per message on the host's standard error, prefixed {@code
 * [mend4j]}. Deliberately not SLF4J or java.util.logging: the agent must neither put a logging
 * binding on the host's class path nor initialise the host's logging configuration from {@code
 * premain}.
 */
public final class AgentLog {

  private static final String PREFIX = "[mend4j] ";

  private AgentLog() {}

  /** Something an operator wants to see once: a bound edit, the agent's configuration. */
  public static void info(String message) {
    System.err.println(PREFIX + message);
  }

  /** Something that went wrong but left the host unaffected. */
  public static void warn(String message) {
    System.err.println(PREFIX + "WARN " + message);
  }

  /** An unexpected error, with its stack trace folded into the same write. */
  public static void error(String message, Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    System.err.print(PREFIX + "ERROR " + message + ": " + trace);
  }
}
