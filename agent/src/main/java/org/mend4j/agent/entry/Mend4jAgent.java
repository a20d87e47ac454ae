package org.mend4j.agent.entry;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;

/**
 * The agent's entry points ({@code Premain-Class}, {@code Agent-Class}). The JVM loads this class
 * with the system class loader; the rest of the agent runs in its own {@link AgentClassLoader}, so
 * that its classes can resolve DJL wherever the host loads it. Catches everything: whatever goes
 * wrong, the host starts.
 */
public final class Mend4jAgent {

  private static final String INJECTION = "org.mend4j.agent.bootstrap.HostCallsInjection";
  private static final String INSTALLER = "org.mend4j.agent.bootstrap.AgentInstaller";

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
      URL jar = Mend4jAgent.class.getProtectionDomain().getCodeSource().getLocation();
      @SuppressWarnings("resource") // lives as long as the JVM: the agent's classes are in it
      AgentClassLoader loader = new AgentClassLoader(new URL[] {jar});
      loader.loadClass(INJECTION).getMethod("inject", Instrumentation.class).invoke(null, inst);
      loader
          .loadClass(INSTALLER)
          .getMethod("start", String.class, Instrumentation.class, boolean.class, Thread.class)
          .invoke(null, args, inst, attached, Thread.currentThread());
    } catch (InvocationTargetException e) {
      failed(e.getCause());
    } catch (Throwable t) {
      failed(t);
    }
  }

  private static void failed(Throwable t) {
    System.err.println("[mend4j] ERROR agent not started, the host runs without it: " + t);
    t.printStackTrace();
  }
}
