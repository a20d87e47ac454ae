package org.mend4j.demoapp.http;

/**
 * A request the service refuses, with the HTTP status and the message the client sees.
 *
 * <p>Thrown while a request is checked, before any inference work, and turned into {@code {"error":
 * message}} by the handler; it never reaches the server's threads.
 */
public final class BadRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the exception.
   *
   * @param status a 4xx HTTP status
   * @param message what was expected and what was found
   */
  public BadRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
