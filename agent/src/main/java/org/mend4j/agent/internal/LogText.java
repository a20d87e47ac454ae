package org.mend4j.agent.internal;

/**
 * Text from a client made safe for a log line: control characters (ANSI escapes, line breaks) and
 * other non-printing characters become {@code ?}, and the length is capped, so a header or path can
 * neither forge log lines nor flood them.
 */
public final class LogText {

  /** Longest client text kept in a log line. */
  public static final int MAX_CHARS = 120;

  private LogText() {}

  /** {@code text} with non-printing characters replaced and cut at {@link #MAX_CHARS}. */
  public static String clean(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS + 3));
    for (int i = 0; i < text.length(); i++) {
      if (out.length() == MAX_CHARS) {
        return out.append("...").toString();
      }
      char c = text.charAt(i);
      boolean printable =
          !Character.isISOControl(c)
              && !Character.isSurrogate(c)
              && Character.getType(c) != Character.FORMAT
              && Character.getType(c) != Character.UNASSIGNED;
      out.append(printable ? c : '?');
    }
    return out.toString();
  }
}
