package org.mend4j.agent.admin;

/**
 * A refusal by the admin API itself, before or around an operation: no such endpoint, a method not
 * allowed, a body too large, too slow, malformed or where none is taken. Carries its HTTP status;
 * the control plane's own refusals are {@link org.mend4j.agent.control.ControlException}s, mapped
 * by {@link ErrorStatus}.
 */
final class HttpError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  HttpError(int status, String message) {
    super(message);
    this.status = status;
  }

  /** A 400: the request cannot be read as what the endpoint takes. */
  static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  /** The HTTP status. */
  int status() {
    return status;
  }
}
