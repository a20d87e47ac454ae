package org.mend4j.agent.admin;

import java.util.Map;
import org.mend4j.agent.control.ControlException;

/**
 * The HTTP status of each reason the control plane refuses an operation for: 4xx for the caller's
 * request, 5xx for the agent's state. One table, so every reason has exactly one status.
 */
final class ErrorStatus {

  /** The status of each {@link ControlException} subclass; every permitted one is listed. */
  static final Map<Class<? extends ControlException>, Integer> BY_REASON =
      Map.of(
          ControlException.InvalidRequest.class, 400,
          ControlException.NotFound.class, 404,
          ControlException.Conflict.class, 409,
          ControlException.ForeignModel.class, 422,
          ControlException.NotEditable.class, 422,
          ControlException.Failed.class, 500,
          ControlException.Unavailable.class, 503);

  private ErrorStatus() {}

  /** The status answering {@code e}. */
  static int of(ControlException e) {
    return BY_REASON.get(e.getClass());
  }
}
