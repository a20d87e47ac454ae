package org.mend4j.agent.persist;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Opens connections to the shared store's database with the agent's own, relocated PostgreSQL
 * driver, never through {@link java.sql.DriverManager}: the driver registers itself there when it
 * loads, and is deregistered at once, so a host that uses {@code DriverManager} for its own
 * databases never meets the agent's copy. Timeouts are short, so an unreachable database makes an
 * admin write fail in seconds instead of hanging.
 */
final class PostgresConnections {

  /** Seconds to open a connection (TCP connect and authentication each). */
  static final int CONNECT_TIMEOUT_SECONDS = 5;

  /** Seconds a query may wait for the server before the connection counts as lost. */
  static final int SOCKET_TIMEOUT_SECONDS = 15;

  private static final Driver DRIVER = deregisteredDriver();

  private final String url;
  private final Properties properties = new Properties();

  /**
   * Connections to {@code url}.
   *
   * @param url a {@code jdbc:postgresql://HOST:PORT/DB} URL
   * @param user the user, or null for the driver's default
   * @param password the password, or null
   */
  PostgresConnections(String url, String user, String password) {
    this.url = url;
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "mend4j-agent");
  }

  /** Whether {@code url} names a PostgreSQL database. */
  static boolean accepts(String url) {
    return url != null && url.startsWith("jdbc:postgresql://");
  }

  /** The URL without its query (which may hold credentials), for messages and status. */
  String location() {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  /** A new connection in auto-commit mode. */
  Connection open() throws SQLException {
    Connection c = DRIVER.connect(url, properties);
    if (c == null) {
      throw new SQLException(location() + " is not a PostgreSQL URL", "08001");
    }
    return c;
  }

  private static Driver deregisteredDriver() {
    Driver driver = new Driver();
    try {
      if (Driver.isRegistered()) {
        Driver.deregister();
      }
    } catch (SQLException e) {
      // it stays registered under its relocated name, which no host asks for
    }
    return driver;
  }
}
