package org.mend4j.demoapp.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes JSON answers, so every endpoint and every error looks the same to clients. */
final class JsonResponses {

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private JsonResponses() {}

  static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
    byte[] bytes = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void error(HttpExchange exchange, int status, String message) throws IOException {
    JsonObject body = new JsonObject();
    body.addProperty("error", message);
    send(exchange, status, body);
  }
}
