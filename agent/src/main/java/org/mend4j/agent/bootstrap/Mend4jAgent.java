package org.mend4j.agent.bootstrap;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points ({@code Premain-Class}, {@code Agent-Class}). They hand over to {@link
 * AgentInstaller} and catch everything: whatever goes wrong, the host starts.
 */
public final class Mend4jAgent {

  private Mend4jAgent() {}

  /** {@code -javaagent:mend4j-agent.jar[=key=value,...]}. */
  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  /** Runtime attach. */
  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static void start(String args, Instrumentation inst, boolean attached) {
    try {
      AgentInstaller.install(AgentConfig.load(args), inst, attached, Thread.currentThread());
    } catch (Throwable t) {
      System.err.println("[mend4j] ERROR agent not started, the host runs without it: " + t);
    }
  }
}
