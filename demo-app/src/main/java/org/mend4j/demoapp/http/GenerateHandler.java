package org.mend4j.demoapp.http;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.mend4j.demoapp.generation.NextToken;
import org.mend4j.demoapp.generation.TokenGenerator;
import org.mend4j.demoapp.text.Gpt2Tokenizer;
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

  /** Largest accepted body: far more than any prompt that fits GPT-2's context. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(GenerateHandler.class);

  private final TokenGenerator generator;
  private final Gpt2Tokenizer tokenizer;

  GenerateHandler(TokenGenerator generator, Gpt2Tokenizer tokenizer) {
    this.generator = generator;
    this.tokenizer = tokenizer;
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
    GenerateRequest request = GenerateRequest.parse(readBody(exchange));
    long[] prompt = tokenizer.encode(request.prompt());
    int context = generator.contextLength();
    if (prompt.length + request.maxNewTokens() > context) {
      throw new BadRequestException(
          400,
          String.format(
              "the prompt is %d tokens; with max_new_tokens %d it exceeds the model's context of"
                  + " %d tokens",
              prompt.length, request.maxNewTokens(), context));
    }
    NextToken next =
        request.temperature() == 0
            ? NextToken.greedy()
            : NextToken.sampled(request.temperature(), request.seed().orElseGet(System::nanoTime));
    long[] generated = generator.generate(prompt, request.maxNewTokens(), next);
    JsonObject body = new JsonObject();
    body.addProperty("completion", tokenizer.decode(generated));
    body.addProperty("tokens", generated.length);
    return body;
  }

  private static String readBody(HttpExchange exchange) throws IOException, BadRequestException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new BadRequestException(
            413, "the body is larger than the limit of " + MAX_BODY_BYTES + " bytes");
      }
      return new String(body, StandardCharsets.UTF_8);
    }
  }
}
