package org.mend4j.agent.registry;

import org.mend4j.agent.internal.AgentLog;

/**
 * Tells the operator where an edit landed whenever its binding state changes: the host layers of
 * each parameter when bound, why when refused or pending. The initial "waiting for the host's first
 * forward pass" of an edit registered at start is not worth a line; every later change is.
 */
final class BindingLog {

  private BindingLog() {}

  /**
   * Logs {@code after}'s binding if its state differs from {@code before}'s.
   *
   * @param before the entry before the change, or null for a new entry
   * @param after the entry after it
   */
  static void report(EditEntry before, EditEntry after) {
    Binding b = after.binding();
    if (before != null && before.binding().state() == b.state()) {
      return;
    }
    switch (b.state()) {
      case BOUND ->
          AgentLog.info("edit " + after.id() + " bound (" + after.source() + "): " + targets(b));
      case REFUSED ->
          AgentLog.warn("edit " + after.id() + " (" + after.source() + ") refused: " + b.message());
      case PENDING -> {
        if (before != null || b.message() == null || !b.message().startsWith("waiting")) {
          AgentLog.info("edit " + after.id() + " pending: " + b.message());
        }
      }
    }
  }

  private static String targets(Binding b) {
    StringBuilder where = new StringBuilder();
    for (Binding.Target t : b.targets()) {
      where.append(where.length() == 0 ? "" : ", ").append(t.param()).append(" -> ");
      where.append(t.layers().isEmpty() ? t.hostFingerprint() : String.join("|", t.layers()));
      where.append(t.byName() ? " (by name mapping)" : "");
    }
    return where.toString();
  }
}
