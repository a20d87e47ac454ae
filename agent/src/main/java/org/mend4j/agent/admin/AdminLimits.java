package org.mend4j.agent.admin;

/**
 * What one admin client may hold or send. The admin server enforces every limit before it reads
 * what the limit is about: headers past {@code maxHeaderBytes} and bodies declared past their limit
 * are refused unread, a body is read only once the request is authenticated, and a connection that
 * has not delivered its request within {@code readTimeoutMillis} is closed.
 *
 * @param maxJsonBytes largest JSON body accepted
 * @param maxEditFileBytes largest edit file accepted
 * @param maxHeaderBytes largest request line plus headers accepted
 * @param maxConnections connections held open at once (more wait in the accept queue)
 * @param readTimeoutMillis time a connection has to deliver its whole request (headers and body),
 *     and longest silence on it
 */
public record AdminLimits(
    int maxJsonBytes,
    int maxEditFileBytes,
    int maxHeaderBytes,
    int maxConnections,
    int readTimeoutMillis) {

  /** Largest JSON body by default: 64 KiB. */
  public static final int DEFAULT_MAX_JSON_BYTES = 64 * 1024;

  /** Largest edit file by default: 64 MiB. */
  public static final int DEFAULT_MAX_EDIT_FILE_BYTES = 64 << 20;

  /** Largest request head by default: 16 KiB. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

  /** Connections at once by default. */
  public static final int DEFAULT_MAX_CONNECTIONS = 256;

  /** Time to deliver a request by default: 10 s. */
  public static final int DEFAULT_READ_TIMEOUT_MILLIS = 10_000;

  /** Checks that every limit is positive. */
  public AdminLimits {
    if (maxJsonBytes < 1
        || maxEditFileBytes < 1
        || maxHeaderBytes < 1024
        || maxConnections < 1
        || readTimeoutMillis < 1) {
      throw new IllegalArgumentException("admin limits must be positive: " + this);
    }
  }

  /** The defaults. */
  public static AdminLimits defaults() {
    return new AdminLimits(
        DEFAULT_MAX_JSON_BYTES,
        DEFAULT_MAX_EDIT_FILE_BYTES,
        DEFAULT_MAX_HEADER_BYTES,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_READ_TIMEOUT_MILLIS);
  }
}
