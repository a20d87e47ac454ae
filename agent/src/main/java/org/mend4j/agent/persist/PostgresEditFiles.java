package org.mend4j.agent.persist;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.runtime.edit.Edit;

/**
 * The shared store's edit files ({@code mend4j_edits}): content-addressed by edit id, each with the
 * SHA-256 of its bytes. A read verifies that digest, then reads the bytes as an edit file ({@link
 * EditBytes}: the file's own digests, its id against its content); a file that fails is left out
 * with a message naming it, and the others are returned.
 */
final class PostgresEditFiles {

  private PostgresEditFiles() {}

  /** Stores an edit file (ids are content-derived, so an existing row already holds it). */
  static void insert(Connection c, String id, byte[] bytes) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO mend4j_edits (id, sha256, bytes) VALUES (?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING")) {
      ps.setString(1, id);
      ps.setString(2, sha256(bytes));
      ps.setBytes(3, bytes);
      ps.executeUpdate();
    }
  }

  /** Deletes an edit file. */
  static void delete(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM mend4j_edits WHERE id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
  }

  /**
   * Reads and verifies edit files.
   *
   * @param ids the edits to read
   * @param store the store's location, for messages
   * @return the edits that were found and are intact, by id
   */
  static Map<String, Edit> read(Connection c, List<String> ids, String store)
      throws SQLException, IOException {
    Map<String, Edit> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id, sha256, bytes FROM mend4j_edits WHERE id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          try {
            out.put(id, verified(id, rs.getString(2), rs.getBytes(3)));
          } catch (IllegalArgumentException e) {
            AgentLog.warn("edit store " + store + ": edit " + id + " left out: " + e.getMessage());
          }
        }
      }
    }
    return out;
  }

  private static Edit verified(String id, String recorded, byte[] bytes) throws IOException {
    String actual = sha256(bytes);
    if (!actual.equals(recorded)) {
      throw new IllegalArgumentException(
          "its bytes' SHA-256 is " + actual + ", the store records " + recorded + " (corrupted)");
    }
    Edit edit = EditBytes.read(bytes, "edit file " + id + " of the store");
    if (!edit.id().equals(id)) {
      throw new IllegalArgumentException("the file holds edit " + edit.id() + ", not " + id);
    }
    return edit;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
