package org.mend4j.agent.entry;

/**
 * The only agent class the host's instrumented code names: the advice inlined into DJL's layers,
 * TorchScript modules and the host's request handlers calls these static methods, which hand over
 * to the agent's {@link HostCallHandler}. Loaded by the system class loader (the agent jar is on
 * its path), so every application class loader that delegates to it, as a Spring Boot launcher or a
 * plugin's {@code URLClassLoader} does, resolves it to this one class.
 *
 * <p>Until the agent has installed its handler, and if it never does, every call is a no-op that
 * leaves the host computing as it would without the agent. The handler is read once per call from a
 * volatile field.
 */
public final class HostCalls {

  /** The request header that picks a variant by name. */
  public static final String VARIANT_HEADER = "X-Mend4j-Variant";

  /** The request header that keys the percentage split. */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  private static volatile HostCallHandler handler;

  private HostCalls() {}

  /** Installs the agent's handler (once, when the agent starts). */
  public static void install(HostCallHandler agent) {
    handler = agent;
  }

  /** See {@link HostCallHandler#onLayerConstructed}. */
  public static void onLayerConstructed(Object layer) {
    HostCallHandler h = handler;
    if (h != null) {
      h.onLayerConstructed(layer);
    }
  }

  /** See {@link HostCallHandler#onChildAdded}. */
  public static void onChildAdded(Object parent, String name, Object child) {
    HostCallHandler h = handler;
    if (h != null) {
      h.onChildAdded(parent, name, child);
    }
  }

  /** See {@link HostCallHandler#onLinearEnter}. */
  public static Object onLinearEnter(
      Object layer, Object parameterStore, Object inputs, boolean training) {
    HostCallHandler h = handler;
    return h == null ? null : h.onLinearEnter(layer, parameterStore, inputs, training);
  }

  /** See {@link HostCallHandler#onForwardExit}. */
  public static void onForwardExit(Object layer, Object inputs, Object output) {
    HostCallHandler h = handler;
    if (h != null) {
      h.onForwardExit(layer, inputs, output);
    }
  }

  /** See {@link HostCallHandler#onModuleLoad}. */
  public static boolean onModuleLoad(boolean requested) {
    HostCallHandler h = handler;
    return h == null ? requested : h.onModuleLoad(requested);
  }

  /** See {@link HostCallHandler#onModuleEnter}. */
  public static Object onModuleEnter(Object module, boolean training) {
    HostCallHandler h = handler;
    return h == null ? null : h.onModuleEnter(module, training);
  }

  /** See {@link HostCallHandler#onModuleExit}. */
  public static void onModuleExit(Object admitted) {
    HostCallHandler h = handler;
    if (h != null && admitted != null) {
      h.onModuleExit(admitted);
    }
  }

  /** See {@link HostCallHandler#onRequestStart}. */
  public static Object onRequestStart(String variant, String requestId) {
    HostCallHandler h = handler;
    return h == null ? null : h.onRequestStart(variant, requestId);
  }

  /** See {@link HostCallHandler#onRequestEnd}. */
  public static void onRequestEnd(Object scope) {
    HostCallHandler h = handler;
    if (h != null && scope != null) {
      h.onRequestEnd(scope);
    }
  }
}
