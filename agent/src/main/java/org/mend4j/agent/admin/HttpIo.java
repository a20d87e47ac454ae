package org.mend4j.agent.admin;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Bodies in, answers out: bounded request bodies, strict UTF-8, JSON and text answers. */
final class HttpIo {

  static final String JSON = "application/json; charset=utf-8";

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private HttpIo() {}

  /**
   * Reads the request body: refused unread if its declared length is over {@code limit}, and
   * refused once more than {@code limit} bytes have come, or when it has not arrived within {@code
   * timeoutMillis}.
   *
   * @throws HttpError 413 if it is too large, 408 if too slow, 400 if it cannot be read
   */
  static byte[] body(Request request, int limit, long timeoutMillis) {
    long declared = request.getLength();
    if (declared > limit) {
      throw tooLarge(limit, declared + " bytes");
    }
    try {
      return Content.Source.asByteArrayAsync(request, limit)
          .get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      request.fail(e);
      throw new HttpError(408, "the request body did not arrive within " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "interrupted while reading the request body");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
        throw tooLarge(limit, "more than that"); // Jetty's words for "more than maxSize"
      }
      throw new HttpError(400, "malformed or truncated request body (" + cause.getMessage() + ")");
    }
  }

  /** Whether a request declares a body: a positive length, or a transfer coding. */
  static boolean hasBody(Request request) {
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  /**
   * Decodes a body as UTF-8, refusing malformed bytes instead of replacing them.
   *
   * @throws HttpError 400 naming the problem
   */
  static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new HttpError(400, "the body is not valid UTF-8 (" + e.getMessage() + ")");
    }
  }

  private static HttpError tooLarge(int limit, String found) {
    return new HttpError(
        413, "the body is larger than the limit of " + limit + " bytes (found " + found + ")");
  }

  /** {@code {"error": message}} as JSON text. */
  static String errorJson(String message) {
    JsonObject body = new JsonObject();
    body.addProperty("error", message);
    return GSON.toJson(body) + "\n";
  }

  static void json(Response response, Callback callback, int status, JsonElement body) {
    send(response, callback, status, JSON, GSON.toJson(body) + "\n");
  }

  static void sendError(Response response, Callback callback, int status, String message) {
    send(response, callback, status, JSON, errorJson(message));
  }

  /** A refusal of a request whose body may be unread: sent at once, then the body is drained. */
  static void refuse(
      Request request, Response response, Callback callback, int status, String message) {
    sendError(response, BodyDrain.after(request, callback), status, message);
  }

  /**
   * Sends a complete answer and closes the connection after it: one request per connection, so a
   * client cannot hold a slot open between requests.
   */
  static void send(
      Response response, Callback callback, int status, String contentType, String text) {
    send(response, callback, status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #send(Response, Callback, int, String, String)} for bytes. */
  static void send(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
