package org.mend4j.demoapp.http;

import ai.djl.pytorch.jni.JniUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mend4j.demoapp.generation.TokenGenerator;
import org.mend4j.demoapp.text.Gpt2Tokenizer;

/**
 * The HTTP server: {@code POST /generate}, {@code GET /health}, and a JSON 404 for anything else.
 *
 * <p>Requests run on a fixed pool of inference threads. PyTorch records gradients by default in
 * every new thread, so each pool thread turns that off before it serves anything.
 */
public final class HttpService implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService pool;

  private HttpService(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /**
   * Binds and starts the server.
   *
   * @param address where to listen; port 0 picks a free port
   * @param threads the number of inference threads
   * @param generator the generator shared by all requests
   * @param tokenizer the tokenizer shared by all requests
   * @return the running service
   * @throws IOException if the address cannot be bound
   */
  public static HttpService start(
      InetSocketAddress address, int threads, TokenGenerator generator, Gpt2Tokenizer tokenizer)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService pool = Executors.newFixedThreadPool(threads, new InferenceThreads());
    server.setExecutor(pool);
    server.createContext(
        "/generate",
        exact("/generate", new GenerateHandler(new Completions(generator, tokenizer))));
    server.createContext("/health", exact("/health", new HealthHandler()));
    server.createContext("/", HttpService::notFound);
    server.start();
    return new HttpService(server, pool);
  }

  /** The bound address, with the actual port. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops accepting requests, lets running ones finish for up to a second, then stops threads. */
  @Override
  public void close() {
    server.stop(1);
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A context matches by prefix; only the exact path is served, the rest is a JSON 404. */
  private static HttpHandler exact(String path, HttpHandler handler) {
    return exchange -> {
      if (exchange.getRequestURI().getPath().equals(path)) {
        handler.handle(exchange);
      } else {
        notFound(exchange);
      }
    };
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().close();
    String path = exchange.getRequestURI().getPath();
    JsonResponses.error(exchange, 404, "no such endpoint: " + path);
  }

  /** Named threads with PyTorch's gradient recording switched off. */
  private static final class InferenceThreads implements ThreadFactory {

    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Runnable noGrad =
          () -> {
            JniUtils.setGradMode(false);
            task.run();
          };
      return new Thread(noGrad, "inference-" + count.incrementAndGet());
    }
  }
}
