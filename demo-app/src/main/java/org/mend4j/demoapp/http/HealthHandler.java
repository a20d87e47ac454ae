package org.mend4j.demoapp.http;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** {@code GET /health}: answers {@code {"status":"ok"}} once the model is loaded and serving. */
final class HealthHandler implements HttpHandler {

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().close();
    if (!exchange.getRequestMethod().equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET");
      JsonResponses.error(exchange, 405, "use GET for /health");
      return;
    }
    JsonObject body = new JsonObject();
    body.addProperty("status", "ok");
    JsonResponses.send(exchange, 200, body);
  }
}
