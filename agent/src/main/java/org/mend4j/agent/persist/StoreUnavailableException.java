package org.mend4j.agent.persist;

import java.io.IOException;

/**
 * A shared store cannot be reached (the database is down, the network is cut): the change was not
 * made, and the replica keeps serving the state it last applied. The control plane refuses the
 * change as {@code ControlException.Unavailable}; each protocol maps that reason to its own answer.
 */
public final class StoreUnavailableException extends IOException {

  private static final long serialVersionUID = 1L;

  /** An unreachable store, with what happened. */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
