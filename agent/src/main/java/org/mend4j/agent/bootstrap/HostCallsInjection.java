package org.mend4j.agent.bootstrap;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.Set;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;
import org.mend4j.agent.internal.AgentLog;

/**
 * Puts {@code HostCalls} and {@code HostCallHandler}, the only agent types the host's instrumented
 * code names, into the JVM's bootstrap class loader, which every class loader reaches: a plugin
 * loader whose parent is the platform loader, or any other loader that does not delegate to the
 * system class path, resolves them to the same classes as the rest of the JVM (the OpenTelemetry
 * Java agent does the same with its bootstrap classes). Byte Buddy writes them to a jar in a
 * temporary folder, removed when the JVM exits, and appends it to the bootstrap search path.
 *
 * <p>Runs first, called on its own by {@link org.mend4j.agent.entry.Mend4jAgent} before the
 * installer is even loaded (verifying a class that names them would load them from the system class
 * path, and they would stay there). This class names neither.
 */
public final class HostCallsInjection {

  // Names, not class literals: a literal would load the types from the system class path first.
  private static final String[] TYPES = {
    "org.mend4j.agent.entry.HostCalls", "org.mend4j.agent.entry.HostCallHandler"
  };

  private HostCallsInjection() {}

  /**
   * Injects the two types; if that fails, says what it costs and leaves them to the system class
   * path.
   */
  public static void inject(Instrumentation inst) {
    try {
      injectInto(Files.createTempDirectory("mend4j-bootstrap").toFile(), inst);
    } catch (IOException | RuntimeException e) {
      AgentLog.warn(
          "cannot put the agent's hook entry into the bootstrap class loader ("
              + e
              + "); DJL loaded by a class loader that does not delegate to the system class path"
              + " stays unedited");
    }
  }

  private static void injectInto(File folder, Instrumentation inst) {
    folder.deleteOnExit();
    try {
      ClassInjector.UsingInstrumentation.of(
              folder, ClassInjector.UsingInstrumentation.Target.BOOTSTRAP, inst)
          .injectRaw(
              Set.of(TYPES),
              ClassFileLocator.ForClassLoader.of(HostCallsInjection.class.getClassLoader()));
    } finally {
      File[] written = folder.listFiles();
      if (written != null) {
        for (File f : written) {
          f.deleteOnExit();
        }
      }
    }
  }
}
