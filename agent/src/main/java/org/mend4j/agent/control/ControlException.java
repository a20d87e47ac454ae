package org.mend4j.agent.control;

/**
 * A control operation refused: an HTTP status (4xx for the caller's mistakes, 5xx for the agent's)
 * and a message for the caller. Nothing was changed.
 */
public final class ControlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /** A refusal with {@code status} and {@code message}. */
  public ControlException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** A refusal with {@code status} and {@code message}, caused by {@code cause}. */
  public ControlException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  static ControlException badRequest(String message) {
    return new ControlException(400, message);
  }

  static ControlException notFound(String message) {
    return new ControlException(404, message);
  }
}
