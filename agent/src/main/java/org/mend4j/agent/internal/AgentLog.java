package org.mend4j.agent.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The agent's only logger. By default one line per message on the host's standard error, prefixed
 * {@code [mend4j]}; with {@code log=slf4j}, from the moment the agent meets the host's DJL (which
 * logs through SLF4J, so the host's logging is set up by then), through the host's own SLF4J under
 * the logger {@code org.mend4j.agent} ({@link HostSlf4j}), so its lines join the host's log
 * pipeline. Deliberately not a logging library of its own: the agent must neither put a logging
 * binding on the host's class path nor initialise the host's logging configuration from {@code
 * premain}.
 */
public final class AgentLog {

  /** Where messages go. */
  public interface Sink {

    /** Something an operator wants to see once. */
    void info(String message);

    /** Something that went wrong but left the host unaffected. */
    void warn(String message);

    /** An unexpected error, with its cause. */
    void error(String message, Throwable t);
  }

  /** The host's standard error, one write per message. */
  static final Sink STDERR =
      new Sink() {
        private static final String PREFIX = "[mend4j] ";

        @Override
        public void info(String message) {
          System.err.println(PREFIX + message);
        }

        @Override
        public void warn(String message) {
          System.err.println(PREFIX + "WARN " + message);
        }

        @Override
        public void error(String message, Throwable t) {
          StringWriter trace = new StringWriter();
          t.printStackTrace(new PrintWriter(trace));
          System.err.print(PREFIX + "ERROR " + message + ": " + trace);
        }
      };

  private static volatile Sink sink = STDERR;

  private AgentLog() {}

  /** Sends every later message to {@code to}. */
  public static void sendTo(Sink to) {
    sink = to;
  }

  /** Something an operator wants to see once: a bound edit, the agent's configuration. */
  public static void info(String message) {
    sink.info(message);
  }

  /** Something that went wrong but left the host unaffected. */
  public static void warn(String message) {
    sink.warn(message);
  }

  /** An unexpected error, with its stack trace folded into the same write. */
  public static void error(String message, Throwable t) {
    sink.error(message, t);
  }
}
