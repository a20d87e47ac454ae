package org.mend4j.agent.persist;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The shared store's state row ({@code mend4j_state}, one row: the version and the state document)
 * and the change log ({@code mend4j_log}), read and written in the caller's transaction, as {@link
 * PostgresEditFiles} does the edit files; {@link PostgresEditStore} decides when.
 */
final class PostgresStateRow {

  private PostgresStateRow() {}

  /** A version of the state and its document. */
  record Versioned(long version, PersistedState state) {}

  /** The current version alone (a follower's cheap check). */
  static long version(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT version FROM mend4j_state WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The current version and state; with {@code forUpdate}, locking the row until the transaction
   * ends, so that writers serialize and every replica sees one order of changes.
   */
  static Versioned read(Connection c, boolean forUpdate) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT version, doc FROM mend4j_state WHERE id = 1"
                    + (forUpdate ? " FOR UPDATE" : ""));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Versioned(rs.getLong(1), PersistedState.parse(rs.getString(2)));
    }
  }

  /**
   * Writes {@code next} as {@code version}, logs the change under {@code replica} and announces the
   * version on {@link PostgresSchema#CHANNEL} (delivered when the transaction commits).
   */
  static void write(Connection c, Versioned next, String replica, String summary)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE mend4j_state SET version = ?, doc = ?, updated = now() WHERE id = 1")) {
      ps.setLong(1, next.version());
      ps.setString(2, next.state().toJson());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO mend4j_log (version, replica, change) VALUES (?, ?, ?)")) {
      ps.setLong(1, next.version());
      ps.setString(2, replica);
      ps.setString(3, summary);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, PostgresSchema.CHANNEL);
      ps.setString(2, Long.toString(next.version()));
      ps.executeQuery().close();
    }
  }
}
