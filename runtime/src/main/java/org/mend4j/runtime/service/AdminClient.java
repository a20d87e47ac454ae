package org.mend4j.runtime.service;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The agent's admin API over HTTP on loopback, with a bearer token (or a chosen wrong one). */
public final class AdminClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final String token;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** A client of the admin API at {@code http://127.0.0.1:PORT}. */
  public AdminClient(int port, String token) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.token = token;
  }

  /** The same API with another token (null: no Authorization header). */
  public AdminClient withToken(String other) {
    return new AdminClient(base.getPort(), other);
  }

  /** The API's base address. */
  public URI base() {
    return base;
  }

  /** A request with a JSON body (null: none). */
  public HttpResponse<String> call(String method, String path, String json) throws IOException {
    return send(
        method,
        path,
        "application/json",
        json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  /** A request with any body and content type. */
  public HttpResponse<String> send(String method, String path, String contentType, byte[] body)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + method + " " + path, e);
    }
  }

  /**
   * Calls and returns the JSON answer.
   *
   * @throws IOException on a transport error, or if the status is not {@code expected} (naming the
   *     call, both statuses and the answer)
   */
  public JsonElement expect(int expected, String method, String path, String json)
      throws IOException {
    HttpResponse<String> r = call(method, path, json);
    if (r.statusCode() != expected) {
      throw new IOException(
          method
              + " "
              + path
              + " answered "
              + r.statusCode()
              + ", expected "
              + expected
              + ": "
              + r.body());
    }
    return JsonParser.parseString(r.body());
  }

  /**
   * Defines the variant {@code original}: no edits and no share of the traffic, so only requests
   * that ask for it get the host's own model.
   *
   * @return the request headers that ask for it
   * @throws IOException if the admin API does not answer 200
   */
  public Map<String, String> putOriginalVariant() throws IOException {
    expect(200, "PUT", "/mend4j/v1/variants/original", "{\"edits\": [], \"traffic_percent\": 0}");
    return Map.of("X-Mend4j-Variant", "original");
  }

  /**
   * Waits until the admin API answers its status (it starts once the host's main runs).
   *
   * @throws IOException if it does not within {@code timeout}
   */
  public void awaitReady(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (call("GET", "/mend4j/v1/status", null).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IOException("admin API on " + base + " did not answer in " + timeout, last);
  }

  /** The {@code error} message of a JSON refusal. */
  public static String error(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString();
  }
}
