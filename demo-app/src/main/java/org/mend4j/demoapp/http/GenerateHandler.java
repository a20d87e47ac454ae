package org.mend4j.demoapp.http;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /generate}: continues a prompt and answers {@code {"completion": TEXT, "tokens": n}}.
 *
 * <p>The whole generation runs on the server thread that received the request. Bad requests get a
 * 4xx answer before any inference; a failure during inference gets a 500; either way the server
 * goes on serving.
 */
final class GenerateHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(GenerateHandler.class);

  private final Completions completions;

  GenerateHandler(Completions completions) {
    this.completions = completions;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      JsonResponses.send(exchange, 200, answer(exchange));
    } catch (BadRequestException e) {
      JsonResponses.error(exchange, e.status(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("generation failed", e);
      JsonResponses.error(exchange, 500, "generation failed: " + e);
    }
  }

  private JsonObject answer(HttpExchange exchange) throws BadRequestException, IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      exchange.getResponseHeaders().set("Allow", "POST");
      throw new BadRequestException(405, "use POST for /generate");
    }
    GenerateRequest request;
    try (InputStream in = exchange.getRequestBody()) {
      request = GenerateRequest.read(in);
    }
    Completions.Completion completion = completions.complete(request);
    JsonObject body = new JsonObject();
    body.addProperty("completion", completion.completion());
    body.addProperty("tokens", completion.tokens());
    return body;
  }
}
