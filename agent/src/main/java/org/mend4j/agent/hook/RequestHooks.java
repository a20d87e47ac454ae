package org.mend4j.agent.hook;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * What the advice on the host's {@code com.sun.net.httpserver.HttpHandler.handle} calls: opens a
 * {@link RequestScope} with the request's variant header and request id on entry, closes it on
 * exit. Loaded only when a host handler runs, so a host without {@code jdk.httpserver} never
 * resolves these types.
 */
public final class RequestHooks {

  /** The request header that picks a variant by name. */
  public static final String VARIANT_HEADER = "X-Mend4j-Variant";

  /** The request header that keys the percentage split. */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  private static final int MAX_HEADER = 256;

  private RequestHooks() {}

  /**
   * On entry of a handler: opens the request's scope.
   *
   * @param exchange the handler's argument
   * @return the scope to close on exit, or null (nested handler, or not an exchange)
   */
  public static Object onRequestStart(Object exchange) {
    if (!(exchange instanceof HttpExchange http) || RequestScope.current() != null) {
      return null;
    }
    Headers headers = http.getRequestHeaders();
    return RequestScope.open(
        clip(headers.getFirst(VARIANT_HEADER)), clip(headers.getFirst(REQUEST_ID_HEADER)));
  }

  /** On exit of a handler (also when it threw): closes the scope {@link #onRequestStart} opened. */
  public static void onRequestEnd(Object scope) {
    if (scope instanceof RequestScope s) {
      RequestScope.close(s);
    }
  }

  private static String clip(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip();
    if (v.isEmpty()) {
      return null;
    }
    return v.length() > MAX_HEADER ? v.substring(0, MAX_HEADER) : v;
  }
}
