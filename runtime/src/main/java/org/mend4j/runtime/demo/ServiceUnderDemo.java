package org.mend4j.runtime.demo;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * demo-app running in a child JVM with the mend4j agent, on loopback: its {@code /generate} API and
 * the agent's admin API, both over plain HTTP.
 */
final class ServiceUnderDemo implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;
  private final URI service;
  private final URI admin;
  private final String token;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServiceUnderDemo(Process process, Path log, int port, int adminPort, String token) {
    this.process = process;
    this.log = log;
    this.service = URI.create("http://127.0.0.1:" + port);
    this.admin = URI.create("http://127.0.0.1:" + adminPort);
    this.token = token;
  }

  /**
   * Starts demo-app serving {@code served} with the agent, which edits in-process with {@code
   * model} and {@code editor}, and waits until it serves.
   */
  static ServiceUnderDemo start(Path home, Path served, Path model, Path editor, Path workDir) {
    Path agentJar = home.resolve("agent/target/mend4j-agent.jar");
    Path appJar = home.resolve("demo-app/target/mend4j-demo-app.jar");
    for (Path jar : List.of(agentJar, appJar)) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing; run ./mend4j demo (it builds it)");
      }
    }
    int port = freePort();
    int adminPort = freePort();
    byte[] secret = new byte[16];
    new java.security.SecureRandom().nextBytes(secret);
    String token = java.util.HexFormat.of().formatHex(secret);
    String agentArgs =
        String.join(
            ",",
            "admin.port=" + adminPort,
            "admin.token=" + token,
            "model=" + model.toAbsolutePath(),
            "editor=" + editor.toAbsolutePath(),
            "edits=" + workDir.resolve("edits").toAbsolutePath(),
            "variants.header=true");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-javaagent:" + agentJar.toAbsolutePath() + "=" + agentArgs);
    command.add("-Dai.djl.offline=true");
    command.addAll(List.of("-jar", appJar.toAbsolutePath().toString()));
    command.addAll(List.of("--model", served.toAbsolutePath().toString(), "--port", "" + port));
    Path log = workDir.resolve("demo-app.log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      ServiceUnderDemo s = new ServiceUnderDemo(process, log, port, adminPort, token);
      s.awaitHealthy();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start demo-app", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHealthy() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("demo-app exited; its log:\n" + logTail());
      }
      try {
        HttpResponse<String> health = send(HttpRequest.newBuilder(service.resolve("/health")));
        HttpResponse<String> status =
            send(authorised(HttpRequest.newBuilder(admin.resolve("/mend4j/v1/status"))));
        if (health.statusCode() == 200 && status.statusCode() == 200) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // still starting
      }
      sleep(250);
    }
    throw new IllegalStateException("demo-app did not come up in 120 s; its log:\n" + logTail());
  }

  /** The service's base URI. */
  URI service() {
    return service;
  }

  /** The admin API's base URI. */
  URI admin() {
    return admin;
  }

  /** The greedy completion of {@code prompt}, optionally under a named variant. */
  String complete(String prompt, int maxNewTokens, String variant) {
    JsonObject body = new JsonObject();
    body.addProperty("prompt", prompt);
    body.addProperty("max_new_tokens", maxNewTokens);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(service.resolve("/generate"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (variant != null) {
      request.header("X-Mend4j-Variant", variant);
    }
    return json(expect(send(request), 200)).get("completion").getAsString();
  }

  /** Calls the admin API and returns the JSON answer; fails unless the status is as expected. */
  JsonObject adminCall(String method, String path, String jsonBody, int expectedStatus) {
    HttpRequest.BodyPublisher body =
        jsonBody == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody);
    HttpRequest.Builder request =
        authorised(HttpRequest.newBuilder(admin.resolve(path)))
            .header("Content-Type", "application/json")
            .method(method, body);
    return json(expect(send(request), expectedStatus));
  }

  private HttpRequest.Builder authorised(HttpRequest.Builder request) {
    return request.header("Authorization", "Bearer " + token).timeout(TIMEOUT);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(
          response.request().method()
              + " "
              + response.uri().getPath()
              + " answered "
              + response.statusCode()
              + " (expected "
              + status
              + "): "
              + response.body());
    }
    return response;
  }

  private static JsonObject json(HttpResponse<String> response) {
    String body = response.body();
    return body.isBlank() ? new JsonObject() : JsonParser.parseString(body).getAsJsonObject();
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
