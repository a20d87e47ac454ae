package org.mend4j.agent.admin;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.mend4j.agent.control.Control;

/**
 * The admin API's server: {@code com.sun.net.httpserver} bound to 127.0.0.1 only, on its own pool
 * of daemon threads. It must be started from a daemon thread, so that the server's dispatcher
 * thread (which inherits that) never keeps the host's JVM alive.
 */
public final class AdminServer {

  private static final int THREADS = 2;

  private final HttpServer server;
  private final ExecutorService pool;

  private AdminServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /**
   * Binds and starts the server.
   *
   * @param port the port on 127.0.0.1 (0: any free one)
   * @param token the bearer token every request must carry
   * @param control the operations
   * @param maxJsonBytes largest JSON body accepted
   * @param maxEditFileBytes largest edit file accepted
   * @throws IOException if the port cannot be bound
   */
  public static AdminServer start(
      int port, String token, Control control, int maxJsonBytes, int maxEditFileBytes)
      throws IOException {
    InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    HttpServer server = HttpServer.create(new InetSocketAddress(loopback, port), 16);
    AtomicInteger count = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "mend4j-admin-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext(
        "/", new AdminHandler(control, new AdminAuth(token), maxJsonBytes, maxEditFileBytes));
    server.start();
    return new AdminServer(server, pool);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops the server. */
  public void stop() {
    server.stop(0);
    pool.shutdownNow();
  }
}
