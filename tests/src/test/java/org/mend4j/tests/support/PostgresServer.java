package org.mend4j.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mend4j.runtime.service.ServiceProcess;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package) for a test: a fresh cluster in a
 * temporary directory, listening on 127.0.0.1 only, on a free port, with a password-protected user
 * ({@code scram-sha-256}) and its own socket directory. {@code initdb} refuses to run as root (CI
 * does), so as root the cluster belongs to {@code nobody} and every server command runs through
 * {@code runuser -u nobody}. {@link #stop()} and {@link #start()} take the server down and bring it
 * back on the same port and data (an outage); {@link #close()} stops it and deletes the directory.
 *
 * <p>The binaries come from {@code -Dmend4j.postgres.bin=DIR}, else the newest {@code
 * /usr/lib/postgresql/N/bin}; without them the test fails naming the package to install ({@code
 * .ci/run} installs it).
 */
public final class PostgresServer implements AutoCloseable {

  /** The database user the tests connect as. */
  public static final String USER = "mend4j";

  /** The database the tests use. */
  public static final String DATABASE = "postgres";

  private static final String UNPRIVILEGED = "nobody";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asRoot;

  private PostgresServer(Path bin, Path dir, int port, boolean asRoot) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asRoot = asRoot;
  }

  /** Creates a cluster and starts it. */
  public static PostgresServer start(String name) throws IOException {
    Path bin = binaries();
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    // as root, under /tmp: the cluster's owner must be able to reach it, and java.io.tmpdir may
    // sit below a directory only root can enter
    Path dir =
        asRoot
            ? Files.createTempDirectory(Path.of("/tmp"), "mend4j-pg-" + name + "-")
            : Files.createTempDirectory("mend4j-pg-" + name + "-");
    PostgresServer server = new PostgresServer(bin, dir, ServiceProcess.freePort(), asRoot);
    try {
      Files.writeString(server.passwordFile(), password(name) + "\n");
      if (asRoot) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        server.run(List.of("chown", "-R", UNPRIVILEGED, dir.toString()), false);
      }
      server.run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              server.data().toString(),
              "-U",
              USER,
              "--pwfile=" + server.passwordFile(),
              "--auth-host=scram-sha-256",
              "--auth-local=trust",
              "-E",
              "UTF8",
              "--no-locale",
              "--no-sync"),
          true);
      server.start();
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static String password(String name) {
    return "pw-" + name + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  }

  /** The JDBC URL of the test database. */
  public String url() {
    return url(DATABASE);
  }

  /** The JDBC URL of another database on the server. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Creates an empty database and returns its JDBC URL. */
  public String createDatabase(String database) throws IOException {
    sql("CREATE DATABASE " + database);
    return url(database);
  }

  /** A file holding the user's password (for {@code store.password.file}). */
  public Path passwordFile() {
    return dir.resolve("password");
  }

  /** The server's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** Starts the server (again) and waits until it accepts connections. */
  public void start() throws IOException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data().toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p "
                + port
                + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                + dir
                + " -c fsync=off",
            "start"),
        true);
  }

  /** Stops the server at once ({@code -m fast}: open connections are cut, as in an outage). */
  public void stop() throws IOException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"),
        true);
  }

  /** Runs SQL through {@code psql} on the server's socket, returning its unaligned output. */
  public String sql(String statement) throws IOException {
    return sql(DATABASE, statement);
  }

  /** Runs SQL in {@code database}, returning {@code psql}'s unaligned output. */
  public String sql(String database, String statement) throws IOException {
    return run(
        List.of(
            bin.resolve("psql").toString(),
            "-h",
            dir.toString(),
            "-p",
            Integer.toString(port),
            "-U",
            USER,
            "-d",
            database,
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            statement),
        true);
  }

  private Path data() {
    return dir.resolve("data");
  }

  private String run(List<String> command, boolean unprivileged) throws IOException {
    List<String> full = new ArrayList<>();
    if (unprivileged && asRoot) {
      full.addAll(List.of("runuser", "-u", UNPRIVILEGED, "--"));
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    if (unprivileged && asRoot) {
      // the unprivileged user may not enter the test's working directory (a checkout under a
      // 0700 directory such as mktemp -d makes): psql would say so on its output
      builder.directory(dir.toFile());
    }
    Process p = builder.start();
    try {
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", full));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", full), e);
    }
    String out = new String(p.getInputStream().readAllBytes());
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", full) + " exited with " + p.exitValue() + ":\n" + out + serverLog());
    }
    return out;
  }

  private String serverLog() {
    try {
      Path log = dir.resolve("server.log");
      return Files.isRegularFile(log) ? "\nserver log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static Path binaries() {
    String configured = System.getProperty("mend4j.postgres.bin");
    if (configured != null) {
      return Path.of(configured);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Path newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .max(Comparator.comparingInt(v -> versionOf(v.getFileName().toString())))
                .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      } catch (IOException e) {
        // reported below
      }
    }
    throw new IllegalStateException(
        "no PostgreSQL server binaries under /usr/lib/postgresql/N/bin: install Debian's"
            + " postgresql package (apt-get install -y postgresql; .ci/run does), or set"
            + " -Dmend4j.postgres.bin=DIR");
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Stops the server if it runs and deletes its directory. */
  @Override
  public void close() {
    try {
      if (Files.isRegularFile(data().resolve("postmaster.pid"))) {
        stop();
      }
    } catch (IOException e) {
      // deleting the directory below takes the cluster with it
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
