package org.mend4j.agent.bootstrap;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mend4j.agent.admin.AdminServer;
import org.mend4j.agent.admin.AdminToken;
import org.mend4j.agent.control.Control;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.jmx.Edits;

/**
 * Starts the control plane (admin HTTP API, JMX MBean) <em>after</em> the host's {@code main} has
 * started, never inside {@code premain}: a daemon thread watches the thread that ran {@code
 * premain} (the one that goes on to call {@code main}) and starts the control plane once that
 * thread's bottom stack frame is a {@code main} method of a non-JDK class, or the thread has ended
 * (a {@code main} that only starts servers), and then waits {@code control.start.delay.ms} more
 * (default 1 s). Until then the host may still be setting up what JMX touches when it initialises
 * (its {@code java.util.logging} manager, its MBean server builder); starting earlier could
 * pre-empt that. Attached to a running JVM, the host's {@code main} is long under way and the
 * control plane starts at once. The admin server runs on daemon threads only, so it never keeps the
 * host alive.
 */
final class ControlPlane {

  private static final long MAIN_WAIT_SECONDS = 60;

  private ControlPlane() {}

  /** Starts the control plane on a daemon thread once the host's {@code main} runs. */
  static void startLater(
      AgentSettings.Control settings, Control control, Thread hostMain, boolean attached) {
    Optional<Integer> port = settings.adminPort();
    boolean jmx = settings.jmx();
    long delay = attached ? 0 : settings.startDelayMillis();
    if (port.isEmpty() && !jmx) {
      return;
    }
    Thread starter =
        new Thread(
            () -> {
              if (!attached) {
                awaitHostMain(hostMain);
                pause(delay);
              }
              if (port.isPresent()) {
                startAdmin(port.get(), settings, control);
              }
              if (jmx) {
                registerMBean(control);
              }
            },
            "mend4j-control-start");
    starter.setDaemon(true);
    starter.start();
  }

  /** Waits until {@code main} runs on {@code hostMain} (or it ended), at most a minute. */
  static void awaitHostMain(Thread hostMain) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAIN_WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      if (hostMain == null || !hostMain.isAlive() || inMain(hostMain.getStackTrace())) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    AgentLog.warn(
        "the host's main did not start within "
            + MAIN_WAIT_SECONDS
            + " s; starting the control"
            + " plane anyway");
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a stack's bottom frame is a host's {@code main}. */
  static boolean inMain(StackTraceElement[] stack) {
    if (stack.length == 0) {
      return false;
    }
    StackTraceElement bottom = stack[stack.length - 1];
    String c = bottom.getClassName();
    return bottom.getMethodName().equals("main")
        && !c.startsWith("java.")
        && !c.startsWith("jdk.")
        && !c.startsWith("sun.")
        && !c.startsWith("org.mend4j.agent.");
  }

  private static void startAdmin(int port, AgentSettings.Control settings, Control control) {
    try {
      String secret = settings.adminToken().value();
      if (secret == null) {
        Path file = settings.adminTokenFile();
        secret = AdminToken.generate();
        AdminToken.write(file, secret);
        file.toFile().deleteOnExit();
        AgentLog.info("admin token generated and written to " + file + " (readable by its owner)");
      }
      AdminServer server = AdminServer.start(port, secret, control, settings.adminLimits());
      AgentLog.info(
          "admin API on http://127.0.0.1:"
              + server.port()
              + "/mend4j/v1/"
              + " (Authorization: Bearer TOKEN)");
    } catch (Throwable t) {
      AgentLog.error("admin API not started (the host runs unaffected)", t);
    }
  }

  private static void registerMBean(Control control) {
    try {
      Edits.register(control);
      AgentLog.info("JMX MBean " + Edits.NAME + " registered");
    } catch (Throwable t) {
      AgentLog.error("JMX MBean " + Edits.NAME + " not registered", t);
    }
  }
}
