package org.mend4j.agent.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * The host's own SLF4J (not the copy the agent bundles, which is relocated and binds to nothing),
 * found through a class loader of the host and called reflectively, as a {@link AgentLog.Sink}: the
 * agent names no SLF4J type, so it works with whichever SLF4J version and backend the host has.
 */
public final class HostSlf4j implements AgentLog.Sink {

  /** The logger the agent's messages go to in the host's logging. */
  public static final String LOGGER = "org.mend4j.agent";

  /**
   * The host's SLF4J package, built at run time: the agent jar's shading rewrites every string
   * constant naming {@code org.slf4j} to the agent's own relocated copy, which binds to nothing.
   */
  private static final String PACKAGE = String.join(".", "org", "slf4j");

  private final MethodHandle info;
  private final MethodHandle warn;
  private final MethodHandle error;

  private HostSlf4j(MethodHandle info, MethodHandle warn, MethodHandle error) {
    this.info = info;
    this.warn = warn;
    this.error = error;
  }

  /**
   * The host's SLF4J as {@code loader} sees it (the loader of the host's DJL, which depends on
   * SLF4J), or empty, with the reason, if it sees none.
   */
  public static Result in(ClassLoader loader) {
    try {
      Class<?> factory = Class.forName(PACKAGE + ".LoggerFactory", true, loader);
      Class<?> loggerType = Class.forName(PACKAGE + ".Logger", false, loader);
      Object logger = factory.getMethod("getLogger", String.class).invoke(null, LOGGER);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodType text = MethodType.methodType(void.class, String.class);
      MethodType withCause = MethodType.methodType(void.class, String.class, Throwable.class);
      return new Result(
          Optional.of(
              new HostSlf4j(
                  lookup.findVirtual(loggerType, "info", text).bindTo(logger),
                  lookup.findVirtual(loggerType, "warn", text).bindTo(logger),
                  lookup.findVirtual(loggerType, "error", withCause).bindTo(logger))),
          null);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return new Result(Optional.empty(), e.toString());
    }
  }

  /** The host's SLF4J, or why there is none. */
  public record Result(Optional<HostSlf4j> sink, String problem) {}

  @Override
  public void info(String message) {
    call(info, message, null);
  }

  @Override
  public void warn(String message) {
    call(warn, message, null);
  }

  @Override
  public void error(String message, Throwable t) {
    call(error, message, t);
  }

  /** A failing host logger must not fail the agent: the message then goes to standard error. */
  private static void call(MethodHandle method, String message, Throwable t) {
    try {
      if (t == null) {
        method.invoke(message);
      } else {
        method.invoke(message, t);
      }
    } catch (Throwable failed) {
      AgentLog.STDERR.warn("the host's SLF4J failed (" + failed + "); the message: " + message);
      if (t != null) {
        AgentLog.STDERR.error(message, t);
      }
    }
  }
}
