package org.mend4j.agent.control;

/**
 * Why a control operation was refused, as one of a closed set of reasons with a message for the
 * caller; nothing was changed. The reasons are the domain's, not a protocol's: the admin HTTP API
 * and JMX each map every one to their own answer (a status code, a JDK exception type), so a new
 * reason must be added to both mappings, and their tests enumerate the permitted subclasses.
 */
public abstract sealed class ControlException extends RuntimeException
    permits ControlException.NotFound,
        ControlException.Conflict,
        ControlException.InvalidRequest,
        ControlException.ForeignModel,
        ControlException.NotEditable,
        ControlException.Unavailable,
        ControlException.Failed {

  private static final long serialVersionUID = 1L;

  private ControlException(String message, Throwable cause) {
    super(message, cause);
  }

  /** No edit or variant with the name asked for. */
  public static final class NotFound extends ControlException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super(message, null);
    }
  }

  /**
   * The request contradicts the agent's state or set-up: the edit is there already, no model or
   * editor is configured, the enabled edits do not fit the model.
   */
  public static final class Conflict extends ControlException {
    private static final long serialVersionUID = 1L;

    public Conflict(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The request is malformed or out of range; the message names the field and what was found. */
  public static final class InvalidRequest extends ControlException {
    private static final long serialVersionUID = 1L;

    public InvalidRequest(String message) {
      super(message, null);
    }
  }

  /**
   * The edit was computed for other weights than the host serves: a parameter it changes does not
   * exist in the host, or has another fingerprint or shape.
   */
  public static final class ForeignModel extends ControlException {
    private static final long serialVersionUID = 1L;

    public ForeignModel(String message) {
      super(message, null);
    }
  }

  /**
   * A well-formed request no edit comes of: MEND finds nothing to change, or the edit cannot be
   * written as an edit file.
   */
  public static final class NotEditable extends ControlException {
    private static final long serialVersionUID = 1L;

    public NotEditable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The agent cannot carry the operation out now and may later: the store is unreachable, edit
   * files are loading, the host has not loaded DJL.
   */
  public static final class Unavailable extends ControlException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The agent itself failed (a model cannot be loaded, a write failed); its state is unchanged. */
  public static final class Failed extends ControlException {
    private static final long serialVersionUID = 1L;

    public Failed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
