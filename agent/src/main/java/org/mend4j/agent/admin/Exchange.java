package org.mend4j.agent.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.mend4j.agent.internal.LogText;

/**
 * One admin request in flight: its method and path, its body read within the limits, the checks of
 * what it may ask ({@link #allow}, {@link #noBody}), and its JSON answer. Every refusal here is an
 * {@link HttpError}, thrown before the operation runs.
 */
final class Exchange {

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final long readTimeoutMillis;

  Exchange(Request request, Response response, Callback callback, long readTimeoutMillis) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.readTimeoutMillis = readTimeoutMillis;
  }

  Request request() {
    return request;
  }

  Response response() {
    return response;
  }

  Callback callback() {
    return callback;
  }

  String method() {
    return request.getMethod();
  }

  String path() {
    return request.getHttpURI().getDecodedPath();
  }

  /** Answers {@code body} as JSON with {@code status}. */
  void json(int status, JsonElement body) {
    HttpIo.json(response, callback, status, body);
  }

  /** Answers {@code {KEY: value, "deleted": true}}: what a DELETE removed. */
  void deleted(String key, String value) {
    JsonObject body = new JsonObject();
    body.addProperty(key, value);
    body.addProperty("deleted", true);
    json(200, body);
  }

  /** The body, at most {@code limit} bytes (see {@link HttpIo#body}). */
  byte[] body(int limit) {
    return HttpIo.body(request, limit, readTimeoutMillis);
  }

  /** The body as UTF-8 text, at most {@code limit} bytes. */
  String text(int limit) {
    return HttpIo.utf8(body(limit));
  }

  /**
   * Refuses a body where the operation takes none (everything but creating an edit and defining a
   * variant), before the operation runs: a body nobody reads is a client's mistake, or an attempt
   * to make the server hold one.
   */
  void noBody() {
    if (HttpIo.hasBody(request)) {
      throw HttpError.badRequest(
          LogText.clean(method()) + " " + LogText.clean(path()) + " takes no body");
    }
  }

  /** Refuses (405) any method but {@code allowed}. */
  void allow(String... allowed) {
    for (String a : allowed) {
      if (a.equals(method())) {
        return;
      }
    }
    throw new HttpError(
        405,
        "method "
            + LogText.clean(method())
            + " not allowed here; use "
            + String.join(" or ", allowed));
  }

  /** Refuses (404) a path of {@code parts} segments that is not {@code n} long. */
  void expectParts(String[] parts, int n) {
    if (parts.length != n) {
      throw notFound();
    }
  }

  /** The 404 of a path no endpoint serves (never revealing what else is there). */
  HttpError notFound() {
    return new HttpError(
        404, "no such endpoint: " + LogText.clean(method()) + " " + LogText.clean(path()));
  }
}
