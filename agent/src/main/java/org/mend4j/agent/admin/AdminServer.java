package org.mend4j.agent.admin;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.mend4j.agent.control.Control;

/**
 * The admin API's server: an embedded Jetty (relocated inside the agent jar, so it never meets a
 * Jetty or servlet stack of the host's) on 127.0.0.1 only, on daemon threads. Jetty parses headers
 * without holding a thread, so slow clients cost a connection slot, not a worker; the {@link
 * AdminLimits} bound how many slots there are and how long one may be held before its request has
 * arrived.
 */
public final class AdminServer {

  private static final int MAX_THREADS = 12;

  private final Server server;
  private final ServerConnector connector;

  private AdminServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Binds and starts the server.
   *
   * @param port the port on 127.0.0.1 (0: any free one)
   * @param token the bearer token every request must carry
   * @param control the operations
   * @param limits what one client may send and hold
   * @throws IOException if the port cannot be bound
   */
  public static AdminServer start(int port, String token, Control control, AdminLimits limits)
      throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
    threads.setName("mend4j-admin");
    threads.setDaemon(true);
    Scheduler scheduler = new ScheduledExecutorScheduler("mend4j-admin-scheduler", true);
    Server server = new Server(threads, scheduler, null);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setIdleTimeout(limits.readTimeoutMillis());
    connector.setAcceptQueueSize(16);
    connector.addBean(new RequestDeadline(scheduler, limits.readTimeoutMillis()));
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));

    AdminCounters counters = new AdminCounters();
    server.setErrorHandler(new JsonErrorHandler(counters));
    server.setHandler(
        new AdminHandler(control, new AdminAuth(token), limits, counters, ConsoleAssets.load()));
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly(server);
      throw e;
    } catch (Exception e) {
      stopQuietly(server);
      throw new IOException("the admin server did not start: " + e, e);
    }
    return new AdminServer(server, connector);
  }

  /** The bound port. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Stops the server. */
  public void stop() {
    stopQuietly(server);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // stopping is best effort; the threads are daemons
    }
  }

  /**
   * Closes a connection that has not delivered a complete request within the deadline: the idle
   * timeout alone lets a client that sends one byte a second hold a slot for ever.
   */
  private record RequestDeadline(Scheduler scheduler, long millis) implements Connection.Listener {
    @Override
    public void onOpened(Connection connection) {
      scheduler.schedule(
          () -> {
            if (connection.getMessagesIn() == 0) {
              connection.getEndPoint().close();
            }
          },
          millis,
          TimeUnit.MILLISECONDS);
    }
  }
}
