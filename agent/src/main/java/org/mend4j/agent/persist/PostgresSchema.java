package org.mend4j.agent.persist;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The shared store's tables, created and migrated by the agent on first use: plain versioned DDL,
 * applied in one transaction under an advisory lock (replicas starting together migrate once), with
 * the applied version in {@code mend4j_schema}. Migration {@code N} is {@code MIGRATIONS.get(N-1)};
 * new versions are appended, never edited.
 *
 * <ul>
 *   <li>{@code mend4j_edits}: edit files by id (ids are content-derived), with the SHA-256 of their
 *       bytes, verified on every read.
 *   <li>{@code mend4j_state}: one row, the state document ({@link PersistedState}: order, enabled
 *       flags, variants) and its version, which every change increments under the row's lock.
 *   <li>{@code mend4j_log}: one row per version: which replica made which change, when.
 * </ul>
 */
final class PostgresSchema {

  /** The channel a committed change is announced on, with its version as payload. */
  static final String CHANNEL = "mend4j_state";

  private static final long LOCK_KEY = 0x6d656e64346aL; // "mend4j"

  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE mend4j_edits (id text PRIMARY KEY, sha256 text NOT NULL,"
                  + " bytes bytea NOT NULL, created timestamptz NOT NULL DEFAULT now())",
              "CREATE TABLE mend4j_state (id integer PRIMARY KEY CHECK (id = 1),"
                  + " version bigint NOT NULL, doc text NOT NULL,"
                  + " updated timestamptz NOT NULL DEFAULT now())",
              "INSERT INTO mend4j_state (id, version, doc) VALUES (1, 0,"
                  + " '{\"format\": \"mend4j.state/1\", \"edits\": [], \"variants\": []}')",
              "CREATE TABLE mend4j_log (version bigint PRIMARY KEY, replica text NOT NULL,"
                  + " change text NOT NULL, at timestamptz NOT NULL DEFAULT now())"));

  private PostgresSchema() {}

  /** The schema version this agent writes. */
  static int latest() {
    return MIGRATIONS.size();
  }

  /**
   * Brings the database to the latest schema.
   *
   * @return the version found before migrating
   * @throws SQLException on a database error, or if the database's schema is newer than this
   *     agent's (an older agent must not write a newer schema's state)
   */
  static int migrate(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      st.execute("CREATE TABLE IF NOT EXISTS mend4j_schema (version integer NOT NULL)");
      int found;
      try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM mend4j_schema")) {
        rs.next();
        found = rs.getInt(1);
      }
      if (found > latest()) {
        throw new SQLException(
            "the store's schema is version "
                + found
                + ", newer than this agent's "
                + latest()
                + "; upgrade the agent",
            "42000");
      }
      for (int v = found + 1; v <= latest(); v++) {
        for (String sql : MIGRATIONS.get(v - 1)) {
          st.execute(sql);
        }
        st.execute("INSERT INTO mend4j_schema (version) VALUES (" + v + ")");
      }
      c.commit();
      return found;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }
}
