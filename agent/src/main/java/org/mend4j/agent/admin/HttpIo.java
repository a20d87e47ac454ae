package org.mend4j.agent.admin;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.mend4j.agent.control.ControlException;

/** Bodies in, answers out: capped request bodies, JSON and text answers, JSON errors. */
final class HttpIo {

  /** How much of an oversized body is still read (and dropped) so the client gets its 413. */
  private static final long DRAIN_LIMIT = 8L << 20;

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private HttpIo() {}

  /**
   * Reads the request body, at most {@code limit} bytes.
   *
   * @throws ControlException 413 if it is larger (after reading a bounded amount of the rest, so
   *     the client sees the answer)
   */
  static byte[] body(HttpExchange exchange, int limit) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    try (InputStream in = exchange.getRequestBody()) {
      if (declared != null) {
        try {
          long length = Long.parseLong(declared.trim());
          if (length > limit) {
            drain(in);
            throw tooLarge(limit, length + " bytes");
          }
        } catch (NumberFormatException e) {
          // the server has checked the header; read and count instead
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > limit) {
          drain(in);
          throw tooLarge(limit, "more than that");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static ControlException tooLarge(int limit, String found) {
    return new ControlException(
        413, "the body is larger than the limit of " + limit + " bytes (found " + found + ")");
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while (total < DRAIN_LIMIT && (n = in.read(buffer)) > 0) {
      total += n;
    }
  }

  /** Drops whatever body a request has (bounded), so the connection can be reused. */
  static void discardBody(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      drain(in);
    } catch (IOException e) {
      // the answer is sent anyway
    }
  }

  static void json(HttpExchange exchange, int status, JsonElement body) throws IOException {
    send(exchange, status, "application/json; charset=utf-8", GSON.toJson(body) + "\n");
  }

  static void error(HttpExchange exchange, int status, String message) throws IOException {
    JsonObject body = new JsonObject();
    body.addProperty("error", message);
    json(exchange, status, body);
  }

  static void send(HttpExchange exchange, int status, String contentType, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    // The JDK server writes the headers and the body as two segments, and never sets
    // TCP_NODELAY on its own (a JVM-wide setting the host's servers read first): Nagle holds the
    // body until the client's delayed ACK, 40 ms per answer. Closing the connection pushes it at
    // once; a new loopback connection per admin call costs far less.
    exchange.getResponseHeaders().set("Connection", "close");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
