package org.mend4j.agent.persist;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.sql.SQLException;
import org.mend4j.agent.internal.AgentLog;

/**
 * Whether a replica reaches its shared store: the last contact and the last error, logged once per
 * outage and once on recovery, in the status, and how a database error reaches a writer
 * (unreachable: {@link StoreUnavailableException}, which the control plane refuses as unavailable;
 * else a failed write).
 */
final class StoreContact {

  private final String location;
  private volatile boolean connected;
  private volatile long lastContactMillis;
  private volatile String lastError;

  StoreContact(String location) {
    this.location = location;
  }

  /** The database answered. */
  void reached(long appliedVersion) {
    if (!connected && lastError != null) {
      AgentLog.info(
          "edit store " + location + " reachable again (state version " + appliedVersion + ")");
    }
    connected = true;
    lastError = null;
    lastContactMillis = System.currentTimeMillis();
  }

  /** The database failed or could not be reached. */
  void lost(Exception e) {
    if (connected || lastError == null) {
      AgentLog.warn("edit store " + location + " failed: " + describe(e));
    }
    connected = false;
    lastError = describe(e);
  }

  /** A database error as a writer sees it, recorded as lost contact. */
  IOException failure(SQLException e) {
    lost(e);
    String state = e.getSQLState();
    boolean unreachable =
        state != null
            && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    return unreachable
        ? new StoreUnavailableException(lastError, e)
        : new IOException("database error: " + lastError, e);
  }

  /** Adds {@code connected}, {@code last_contact_ms_ago} and any {@code last_error}. */
  void addTo(JsonObject status) {
    status.addProperty("connected", connected);
    status.addProperty(
        "last_contact_ms_ago",
        lastContactMillis == 0 ? -1 : System.currentTimeMillis() - lastContactMillis);
    if (lastError != null) {
      status.addProperty("last_error", lastError);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.length() > 300 ? message.substring(0, 300) + "..." : message;
  }
}
