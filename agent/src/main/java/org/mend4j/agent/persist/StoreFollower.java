package org.mend4j.agent.persist;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * Keeps a replica on the shared store's latest state: a daemon thread with a connection that {@code
 * LISTEN}s for committed changes and, on every announcement and at least every poll interval (the
 * fallback for announcements missed while reconnecting), asks for the version and applies a newer
 * one ({@link PostgresEditStore#sync}). A lost connection is retried with back-off (0.2 s doubling
 * to 2 s), so a replica converges without a restart once the database is back.
 */
final class StoreFollower implements Runnable {

  private static final long MIN_BACKOFF_MILLIS = 200;
  private static final long MAX_BACKOFF_MILLIS = 2000;

  private final PostgresEditStore store;
  private final PostgresConnections connections;
  private final int pollMillis;

  private StoreFollower(PostgresEditStore store, PostgresConnections connections, long poll) {
    this.store = store;
    this.connections = connections;
    this.pollMillis = (int) Math.min(Integer.MAX_VALUE, poll);
  }

  /** Starts following on a daemon thread (it never keeps the host alive). */
  static void start(PostgresEditStore store, PostgresConnections connections, long pollMillis) {
    Thread t =
        new Thread(new StoreFollower(store, connections, pollMillis), "mend4j-store-follower");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void run() {
    long backoff = MIN_BACKOFF_MILLIS;
    while (!Thread.currentThread().isInterrupted()) {
      try (Connection c = connections.open()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + PostgresSchema.CHANNEL);
        }
        store.sync(c);
        backoff = MIN_BACKOFF_MILLIS;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (true) {
          pg.getNotifications(pollMillis);
          store.sync(c);
        }
      } catch (SQLException | java.io.IOException | RuntimeException e) {
        store.down(e);
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }
  }
}
