package org.mend4j.agent.control;

import java.io.IOException;
import java.util.function.Supplier;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.persist.StateChange;
import org.mend4j.agent.persist.StoreUnavailableException;
import org.mend4j.agent.registry.EditRegistry;

/**
 * The one way a change reaches the {@link EditStore}: one change at a time, after the edit files
 * given at start are loaded, with the store's failures as the control plane's refusals (an
 * unreachable store is {@link ControlException.Unavailable}, a failed write {@link
 * ControlException.Failed}, both with nothing changed; a change the store's latest state refuses
 * keeps its own reason).
 */
final class Commits {

  private static final long STARTUP_WAIT_SECONDS = 60;

  private final EditRegistry registry;
  private final EditStore store;
  private final Object lock = new Object();

  Commits(EditRegistry registry, EditStore store) {
    this.registry = registry;
    this.store = store;
  }

  /**
   * Under the one lock, runs {@code change} (which checks the current state and makes a {@link
   * StateChange}), commits what it made, and returns {@code after} read once it is applied.
   */
  <T> T commit(Supplier<StateChange> change, Supplier<T> after) {
    awaitStartup();
    synchronized (lock) {
      StateChange c = change.get();
      try {
        store.commit(registry, c);
      } catch (StoreUnavailableException e) {
        AgentLog.warn("change refused, the edit store is unreachable: " + e.getMessage());
        throw new ControlException.Unavailable(
            "the edit store "
                + store.location()
                + " is unreachable, so the change was not made; this replica keeps serving the"
                + " state it last applied and answers reads; try again when the store is back ("
                + e.getMessage()
                + ")",
            e);
      } catch (ControlException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        AgentLog.warn("cannot persist a change in " + store.location() + ": " + e);
        throw new ControlException.Failed(
            "cannot persist the change in "
                + store.location()
                + " (the running agent is unchanged): "
                + e,
            e);
      }
      return after.get();
    }
  }

  /**
   * Waits (at most a minute) until the edit files given at start are loaded: a change or an edit
   * computed before would not see them.
   *
   * @throws ControlException.Unavailable if they are still loading
   */
  void awaitStartup() {
    try {
      if (!registry.awaitStartupLoad(STARTUP_WAIT_SECONDS)) {
        throw new ControlException.Unavailable("edit files are still loading; try again", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlException.Unavailable(
          "interrupted while waiting for the edit files to load", e);
    }
  }
}
