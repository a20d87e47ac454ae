package org.mend4j.runtime.service;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A client of demo-app's HTTP API ({@code POST /generate}, {@code GET /health}) at one address. */
public final class ServiceClient {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** A client of the service at {@code base} ({@code http://127.0.0.1:PORT}). */
  public ServiceClient(URI base) {
    this.base = base;
  }

  /** The service's base address. */
  public URI base() {
    return base;
  }

  /**
   * Greedy completion of a prompt.
   *
   * @throws IOException on a transport error or a status other than 200
   */
  public Completion generate(String prompt, int maxNewTokens) throws IOException {
    return generate(prompt, maxNewTokens, Map.of());
  }

  /**
   * Greedy completion of a prompt, with extra request headers (e.g. a variant header).
   *
   * @throws IOException on a transport error or a status other than 200
   */
  public Completion generate(String prompt, int maxNewTokens, Map<String, String> headers)
      throws IOException {
    JsonObject request = new JsonObject();
    request.addProperty("prompt", prompt);
    request.addProperty("max_new_tokens", maxNewTokens);
    HttpResponse<String> response = send("POST", "/generate", request.toString(), headers);
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
    }
    JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
    return new Completion(body.get("completion").getAsString(), body.get("tokens").getAsInt());
  }

  /**
   * Posts a raw JSON body, for tests of sampling options and of bad requests.
   *
   * @return the response, whatever its status
   * @throws IOException on a transport error
   */
  public HttpResponse<String> post(String path, String body) throws IOException {
    return send("POST", path, body, Map.of());
  }

  /**
   * Any request: a method, a path and a JSON body (null: none).
   *
   * @return the response, whatever its status
   * @throws IOException on a transport error
   */
  public HttpResponse<String> send(
      String method, String path, String body, Map<String, String> headers) throws IOException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(REQUEST_TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    headers.forEach(builder::header);
    try {
      return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + path, e);
    }
  }

  /** Whether {@code GET /health} answers 200 now (false while nothing listens). */
  boolean healthy() throws InterruptedException {
    HttpRequest health =
        HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(5)).build();
    try {
      return client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }
}
