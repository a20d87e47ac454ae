package org.mend4j.agent.admin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.mend4j.agent.internal.LogText;

/**
 * Jetty's answers for requests that never reach the {@link AdminHandler} (a malformed request line,
 * oversized headers, a broken chunked body, an unsupported transfer coding): JSON like every other
 * refusal, {@code {"error": MESSAGE}}, and counted.
 */
final class JsonErrorHandler extends ErrorHandler {

  private final AdminCounters counters;

  JsonErrorHandler(AdminCounters counters) {
    this.counters = counters;
  }

  /** Every method gets a body: a refused PUT or DELETE is explained like a refused GET. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    counters.refused(status);
    fields.put(HttpHeader.CONTENT_TYPE, HttpIo.JSON);
    fields.put(HttpHeader.CACHE_CONTROL, "no-store");
    return ByteBuffer.wrap(
        HttpIo.errorJson(describe(status, reason)).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      String message,
      Throwable cause,
      Callback callback) {
    counters.refused(status);
    String reason = message == null && cause != null ? cause.getMessage() : message;
    HttpIo.sendError(response, callback, status, describe(status, reason));
  }

  /** The refusal in words: what the status means here, and Jetty's own reason. */
  static String describe(int status, String reason) {
    String what =
        switch (status) {
          case 400 -> "malformed HTTP request";
          case 408 -> "the request did not arrive in time";
          case 413 -> "the request is larger than the admin API accepts";
          case 414 -> "the request line is longer than the admin API accepts";
          case 431 -> "the request's headers are larger than the admin API accepts";
          case 501 -> "not implemented by the admin API";
          case 505 -> "unsupported HTTP version";
          default -> HttpStatus.getMessage(status);
        };
    String detail = reason == null ? "" : reason.strip();
    if (detail.isEmpty() || detail.equalsIgnoreCase(HttpStatus.getMessage(status))) {
      return what;
    }
    return what + ": " + LogText.clean(detail);
  }
}
