package org.mend4j.agent.persist;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.runtime.edit.Edit;

/**
 * The edit store of a fleet: one PostgreSQL database that every replica's agent commits to and
 * follows ({@code store=jdbc:postgresql://HOST:PORT/DB}).
 *
 * <p><b>Commit.</b> A change runs in one transaction that locks the state row ({@code SELECT ...
 * FOR UPDATE}), applies the {@link StateChange} to the <em>latest</em> state (so it is validated
 * against other replicas' changes and never overwrites one), writes the edit file if it adds one,
 * increments the version, logs the change and announces it ({@code NOTIFY}). Writers serialize on
 * the row lock, so every replica sees one order of changes.
 *
 * <p><b>Follow.</b> {@link StoreFollower} listens for announcements and polls as a fallback; a
 * newer version is read in one repeatable-read transaction (the state and every edit file this
 * replica lacks, each file's SHA-256 verified), and the registry swaps to it in one step once the
 * new snapshot is complete (bound, composed). Edits whose fingerprints match none of this host's
 * layers are registered refused, visibly in the status, and the rest of the state applies.
 *
 * <p><b>Outage.</b> While the database is unreachable the replica keeps serving the state it last
 * applied and answers reads; {@link #commit} throws {@link StoreUnavailableException} (the control
 * plane refuses the change as unavailable); the follower reconnects with back-off and catches up
 * without a restart.
 *
 * <p>The SQL of the state row is {@link PostgresStateRow}'s, of the edit files {@link
 * PostgresEditFiles}', the reachability {@link StoreContact}'s. What stays here (about 300 lines)
 * is the protocol itself: commit, follow and apply share the applied version and one lock, and
 * their order is the store's correctness, so it reads in one place.
 */
public final class PostgresEditStore implements EditStore {

  private final PostgresConnections connections;
  private final String replica;
  private final long pollMillis;
  private final Object writeLock = new Object();
  private final Object applyLock = new Object();
  private Connection writer;
  private volatile EditRegistry registry;
  private final StoreContact contact;
  private volatile boolean migrated;
  private volatile long appliedVersion = -1;
  private volatile long latestVersion = -1;
  private volatile Set<String> leftOut = Set.of();

  /**
   * A store in the database at {@code url}.
   *
   * @param url {@code jdbc:postgresql://HOST:PORT/DB}
   * @param user the database user, or null
   * @param password the password, or null (never logged)
   * @param pollMillis how often the follower checks the version without an announcement
   * @param replica this replica's name in the change log and status
   */
  public PostgresEditStore(
      String url, String user, String password, long pollMillis, String replica) {
    this.connections = new PostgresConnections(url, user, password);
    this.pollMillis = pollMillis;
    this.replica = replica;
    this.contact = new StoreContact(connections.location());
  }

  /** Whether {@code url} is one this store takes. */
  public static boolean accepts(String url) {
    return PostgresConnections.accepts(url);
  }

  @Override
  public boolean persistent() {
    return true;
  }

  @Override
  public String location() {
    return connections.location();
  }

  /** Migrates the schema and applies the stored state, then starts following. */
  @Override
  public int load(EditRegistry target, Set<String> disabledByConfig) {
    this.registry = target;
    try (Connection c = connections.open()) {
      sync(c);
    } catch (SQLException | IOException | RuntimeException e) {
      down(e);
      AgentLog.warn(
          "edit store "
              + location()
              + ": serving no edits until it can be read; changes are refused meanwhile");
    }
    StoreFollower.start(this, connections, pollMillis);
    return target.current().edits().size();
  }

  @Override
  public void commit(EditRegistry target, StateChange change) throws IOException {
    this.registry = target;
    synchronized (writeLock) {
      try {
        Connection c = writer();
        c.setAutoCommit(false);
        try {
          Committed committed = commit(c, change);
          c.commit();
          contact();
          if (committed != null) {
            apply(committed.version(), committed.state(), committed.edits(), change.source());
          }
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        closeWriter();
        throw failure(e);
      }
    }
  }

  private record Committed(long version, PersistedState state, Map<String, Edit> edits) {}

  /**
   * The change in the open transaction {@code c}, with the edit files the registry lacks for the
   * committed state; a change that changes nothing writes nothing and gives the latest state.
   */
  private Committed commit(Connection c, StateChange change) throws SQLException, IOException {
    PostgresStateRow.Versioned locked = PostgresStateRow.read(c, true);
    long version = locked.version();
    PersistedState latest = locked.state();
    PersistedState next = change.apply(latest);
    Edit added = change.addedEdit();
    if (added == null && change.removedEdit() == null && next.equals(latest)) {
      // nothing to write; still catch up, so the caller reads the latest state here
      Map<String, Edit> fetched = missing(c, latest, Map.of());
      return new Committed(version, latest, fetched);
    }
    Map<String, Edit> fetched =
        missing(c, next, added == null ? Map.of() : Map.of(added.id(), added));
    if (added != null) {
      PostgresEditFiles.insert(c, added.id(), change.addedFile());
    }
    if (change.removedEdit() != null) {
      PostgresEditFiles.delete(c, change.removedEdit());
    }
    long nextVersion = version + 1;
    PostgresStateRow.write(
        c, new PostgresStateRow.Versioned(nextVersion, next), replica, change.summary());
    return new Committed(nextVersion, next, fetched);
  }

  /**
   * Applies the latest stored state if it is newer than the one applied, reading it and the edit
   * files this replica lacks in one repeatable-read transaction on {@code c}.
   */
  void sync(Connection c) throws SQLException, IOException {
    ensureSchema(c);
    long version = PostgresStateRow.version(c);
    contact();
    latestVersion = Math.max(latestVersion, version);
    if (version <= appliedVersion) {
      return;
    }
    PersistedState state;
    Map<String, Edit> fetched;
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      PostgresStateRow.Versioned stored = PostgresStateRow.read(c, false);
      version = stored.version();
      state = stored.state();
      fetched = missing(c, state, Map.of());
      c.commit();
    } catch (SQLException | IOException | RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    } finally {
      c.setAutoCommit(true);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
    latestVersion = Math.max(latestVersion, version);
    apply(version, state, fetched, "edit store");
  }

  private void ensureSchema(Connection c) throws SQLException {
    if (!migrated) {
      int found = PostgresSchema.migrate(c);
      if (found < PostgresSchema.latest()) {
        AgentLog.info(
            "edit store "
                + location()
                + ": schema migrated from version "
                + found
                + " to "
                + PostgresSchema.latest());
      }
      migrated = true;
    }
  }

  /** The edit files {@code state} lists that neither the registry nor {@code known} holds. */
  private Map<String, Edit> missing(Connection c, PersistedState state, Map<String, Edit> known)
      throws SQLException, IOException {
    Snapshot s = registry.current();
    List<String> ids =
        state.enabled().keySet().stream()
            .filter(id -> s.edit(id).isEmpty() && !known.containsKey(id))
            .toList();
    Map<String, Edit> fetched = new HashMap<>(known);
    if (!ids.isEmpty()) {
      fetched.putAll(PostgresEditFiles.read(c, ids, location()));
    }
    return fetched;
  }

  /** Swaps the registry to {@code state} unless a newer one is applied already. */
  private void apply(long version, PersistedState state, Map<String, Edit> fetched, String source) {
    synchronized (applyLock) {
      if (version <= appliedVersion) {
        return;
      }
      long start = System.nanoTime();
      List<String> missing = RegistryUpdate.apply(registry, state, fetched, source);
      leftOut = Set.copyOf(new TreeSet<>(missing));
      appliedVersion = version;
      AgentLog.info(
          String.format(
              Locale.ROOT,
              "edit store %s: state version %d applied (%d edits, %d files read) in %.0f ms",
              location(),
              version,
              state.enabled().size(),
              fetched.size(),
              (System.nanoTime() - start) / 1e6));
    }
  }

  /** The writing connection; one the database has dropped meanwhile (a restart) is replaced. */
  private Connection writer() throws SQLException {
    if (writer != null && !writer.isValid(PostgresConnections.CONNECT_TIMEOUT_SECONDS)) {
      closeWriter();
    }
    if (writer == null) {
      writer = connections.open();
    }
    ensureSchema(writer);
    return writer;
  }

  private void closeWriter() {
    try {
      if (writer != null) {
        writer.close();
      }
    } catch (SQLException e) {
      // it is gone either way
    }
    writer = null;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // the connection is broken; the transaction dies with it
    }
  }

  /** A database error as the caller sees it: unreachable (503) or a failed write (500). */
  private IOException failure(SQLException e) {
    return contact.failure(e);
  }

  /** The database answered (the follower's and the writer's calls). */
  void contact() {
    contact.reached(appliedVersion);
  }

  /** The database failed or could not be reached. */
  void down(Exception e) {
    contact.lost(e);
  }

  @Override
  public JsonObject status() {
    JsonObject json = new JsonObject();
    json.addProperty("kind", "postgresql");
    json.addProperty("location", location());
    json.addProperty("replica", replica);
    contact.addTo(json);
    json.addProperty("applied_version", appliedVersion);
    json.addProperty("latest_version", latestVersion);
    json.addProperty("versions_behind", Math.max(0, latestVersion - appliedVersion));
    JsonArray missing = new JsonArray();
    leftOut.forEach(missing::add);
    json.add("left_out_edits", missing);
    return json;
  }
}
