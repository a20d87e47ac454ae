package org.mend4j.runtime.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service jar in a child JVM on free loopback ports, as a customer would run it, started by a
 * {@link ServiceLaunch} recipe (demo-app, the Spring Boot host, the plugin host).
 *
 * <p>Extra JVM arguments (a {@code -javaagent}, system properties) go before {@code -jar}; extra
 * service arguments after the recipe's. The child is always started with {@code
 * -Dai.djl.offline=true} and inherits {@code DJL_CACHE_DIR}. Its output goes to a log file under
 * {@code LOGS/NAME-logs/}; a start that fails or times out reports the log's tail. The start
 * returns once {@code /health} answers on every port, and records how long that took. {@link
 * #close()} stops the child, and so does the end of the test JVM if it comes first.
 */
public final class ServiceProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final ServiceLaunch launch;
  private final Process process;
  private final List<ServiceClient> clients;
  private final Path log;
  private final Thread reaper;
  private Duration startup;

  private ServiceProcess(
      ServiceLaunch launch, Process process, List<ServiceClient> clients, Path log) {
    this.launch = launch;
    this.process = process;
    this.clients = clients;
    this.log = log;
    // A test JVM stopped early (Ctrl-C on a benchmark) must not leave its services running.
    this.reaper = new Thread(process::destroyForcibly, "stop-" + launch.name());
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts a service on a model and waits until {@code /health} answers on each of its ports.
   *
   * @param launch what to run
   * @param model the model directory
   * @param logs the folder for the log file ({@code LOGS/SERVICE-logs/NAME-PORT.log})
   * @param name a name for the log file
   * @param jvmArgs extra arguments for the child JVM, before {@code -jar}
   * @param appArgs extra arguments for the service, after the model and the ports
   * @return the running service
   * @throws IOException if the jar is missing, or the service dies or does not come up in time
   */
  public static ServiceProcess start(
      ServiceLaunch launch,
      Path model,
      Path logs,
      String name,
      List<String> jvmArgs,
      List<String> appArgs)
      throws IOException {
    if (!Files.isRegularFile(launch.jar())) {
      throw new IOException(launch.jar() + " is missing: build it with '" + launch.build() + "'");
    }
    List<Integer> ports = freePorts(launch.ports());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", launch.jar().toString()));
    command.addAll(launch.args().apply(model, ports));
    command.addAll(appArgs);
    Path log = logs.resolve(launch.name() + "-logs/" + name + "-" + ports.get(0) + ".log");
    Files.createDirectories(log.getParent());
    List<ServiceClient> clients = new ArrayList<>();
    for (int port : ports) {
      clients.add(new ServiceClient(URI.create("http://127.0.0.1:" + port)));
    }
    long started = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServiceProcess service = new ServiceProcess(launch, process, List.copyOf(clients), log);
    try {
      service.awaitHealthy(started);
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /** The client of the service's first (for most services, only) port. */
  public ServiceClient client() {
    return clients.get(0);
  }

  /** The clients of all its ports, in the recipe's order (the plugin host: copy 1, copy 2 ...). */
  public List<ServiceClient> clients() {
    return clients;
  }

  /** From starting the child to the first answer of {@code /health} on its last port. */
  public Duration startup() {
    return startup;
  }

  /** The child's process handle (for its CPU time in benchmarks). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** The child's combined stdout and stderr. */
  public Path log() {
    return log;
  }

  /** Kills the child at once (SIGKILL: no shutdown hook, no flush) and waits for it to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops the child: politely first, forcibly after ten seconds. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook stops the child
    }
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

  /** Polls often (25 ms), so that {@link #startup()} is a fair measure of time to serve. */
  private void awaitHealthy(long started) throws IOException {
    long deadline = started + START_TIMEOUT.toNanos();
    try {
      for (ServiceClient client : clients) {
        while (!client.healthy()) {
          if (!process.isAlive()) {
            throw new IOException(
                launch.name()
                    + " exited with "
                    + process.exitValue()
                    + " before serving:\n"
                    + logTail());
          }
          if (System.nanoTime() > deadline) {
            throw new IOException(
                launch.name() + " not healthy after " + START_TIMEOUT + ":\n" + logTail());
          }
          Thread.sleep(25);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + launch.name(), e);
    }
    startup = Duration.ofNanos(System.nanoTime() - started);
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A port free on loopback now (for a port the child takes from its arguments). */
  public static int freePort() {
    return freePorts(1).get(0);
  }

  private static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // the port is still free to use
        }
      }
    }
  }
}
