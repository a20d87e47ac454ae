package org.mend4j.tests.support;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * demo-app's runnable jar in a child JVM on a free loopback port, as a customer would run it.
 *
 * <p>Extra JVM arguments (a {@code -javaagent}, system properties) go before {@code -jar}. The
 * child is always started with {@code -Dai.djl.offline=true} and inherits {@code DJL_CACHE_DIR}.
 * Its output goes to a log file under {@code target/demo-app-logs/}; a start that fails or times
 * out reports the log's tail. {@link #close()} stops the child.
 */
public final class DemoAppProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient client;

  /** A completion: the generated text and the number of generated tokens. */
  public record Completion(String text, int tokens) {}

  private DemoAppProcess(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * Starts demo-app on a model and waits until {@code /health} answers.
   *
   * @param model the model directory
   * @param name a name for the log file
   * @param jvmArgs extra arguments for the child JVM, before {@code -jar}
   * @param appArgs extra arguments for demo-app, after {@code --model} and {@code --port}
   * @return the running service
   * @throws IOException if the jar is missing, or the service dies or does not come up in time
   */
  public static DemoAppProcess start(
      Path model, String name, List<String> jvmArgs, List<String> appArgs) throws IOException {
    Path jar = TestPaths.demoAppJar();
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: build it with 'mvn -pl demo-app package'");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar.toString(), "--model", model.toString()));
    command.addAll(List.of("--port", Integer.toString(port)));
    command.addAll(appArgs);
    Path log = TestPaths.target().resolve("demo-app-logs/" + name + "-" + port + ".log");
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    DemoAppProcess app = new DemoAppProcess(process, URI.create("http://127.0.0.1:" + port), log);
    try {
      app.awaitHealthy();
    } catch (IOException | RuntimeException e) {
      app.close();
      throw e;
    }
    return app;
  }

  /**
   * The greedy completions of {@code prompts} by demo-app started on {@code model} (then stopped).
   *
   * @throws IOException if the service does not come up or a request fails
   */
  public static List<String> answers(
      Path model, List<String> prompts, int maxNewTokens, List<String> jvmArgs, String name)
      throws IOException {
    List<String> out = new ArrayList<>();
    try (DemoAppProcess app = start(model, name, jvmArgs, List.of())) {
      for (String p : prompts) {
        out.add(app.generate(p, maxNewTokens).text());
      }
    }
    return out;
  }

  /** The child's process handle (for its CPU time in benchmarks). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** The service's base address, {@code http://127.0.0.1:PORT}. */
  public URI base() {
    return base;
  }

  /** The child's combined stdout and stderr. */
  public Path log() {
    return log;
  }

  /**
   * Greedy completion of a prompt.
   *
   * @param prompt the prompt
   * @param maxNewTokens the most tokens to generate
   * @return the completion
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
    HttpResponse<String> response = post("/generate", request.toString(), headers);
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
    }
    JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
    return new Completion(body.get("completion").getAsString(), body.get("tokens").getAsInt());
  }

  /**
   * Posts a raw body, for tests of sampling options and of bad requests.
   *
   * @param path the path, such as {@code /generate}
   * @param body the request body
   * @return the response, whatever its status
   * @throws IOException on a transport error
   */
  public HttpResponse<String> post(String path, String body) throws IOException {
    return post(path, body, Map.of());
  }

  private HttpResponse<String> post(String path, String body, Map<String, String> headers)
      throws IOException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    HttpRequest request = builder.build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + path, e);
    }
  }

  /** Kills the child at once (SIGKILL: no shutdown hook, no flush) and waits for it to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops the child: politely first, forcibly after ten seconds. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitHealthy() throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpRequest health =
        HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(5)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "demo-app exited with " + process.exitValue() + " before serving:\n" + logTail());
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for demo-app", e);
      }
      sleep(200);
    }
    throw new IOException("demo-app not healthy after " + START_TIMEOUT + ":\n" + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for demo-app", e);
    }
  }
}
