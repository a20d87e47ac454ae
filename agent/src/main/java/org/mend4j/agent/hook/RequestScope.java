package org.mend4j.agent.hook;

import org.mend4j.agent.registry.Selection;
import org.mend4j.agent.registry.Snapshot;

/**
 * One host request, from its HTTP handler's entry to its exit, on the thread that runs it: what it
 * asked for (a variant header, a request id) and, from its first layer call on, the snapshot and
 * selection it is served with. Pinning them once per request makes every layer call of the request
 * (all forward passes of a generation) apply the same edits, whatever the control plane switches
 * meanwhile.
 *
 * <p>Held in a thread-local between {@link #open} and {@link #close}; a handler nested in another
 * (a wrapper calling the real handler) joins the outer request.
 */
public final class RequestScope {

  private static final ThreadLocal<RequestScope> CURRENT = new ThreadLocal<>();

  private final String requestedVariant;
  private final String requestId;
  private Snapshot snapshot;
  private Selection selection;
  private String variant;

  /** A scope not yet opened on any thread ({@link #open} opens one on the current thread). */
  public RequestScope(String requestedVariant, String requestId) {
    this.requestedVariant = requestedVariant;
    this.requestId = requestId;
  }

  /**
   * Starts a request on this thread.
   *
   * @param requestedVariant the variant header's value, or null
   * @param requestId the request id header's value, or null
   * @return the new scope, or null if a request is already open on this thread (nested handler)
   */
  public static RequestScope open(String requestedVariant, String requestId) {
    if (CURRENT.get() != null) {
      return null;
    }
    RequestScope scope = new RequestScope(requestedVariant, requestId);
    CURRENT.set(scope);
    return scope;
  }

  /** Ends a request opened by {@link #open} (null: nothing was opened). */
  public static void close(RequestScope scope) {
    if (scope != null && CURRENT.get() == scope) {
      CURRENT.remove();
    }
  }

  /** The request running on this thread, or null. */
  public static RequestScope current() {
    return CURRENT.get();
  }

  /** The variant the request asked for by header, or null. */
  public String requestedVariant() {
    return requestedVariant;
  }

  /** The request's id from its header, or null. */
  public String requestId() {
    return requestId;
  }

  /** Whether the snapshot and selection are pinned (the request has reached the model). */
  boolean pinned() {
    return selection != null;
  }

  void pin(Snapshot pinnedSnapshot, Selection pinnedSelection, String variantName) {
    this.snapshot = pinnedSnapshot;
    this.selection = pinnedSelection;
    this.variant = variantName;
  }

  /** The pinned snapshot, or null before the first layer call. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /** The pinned selection, or null before the first layer call. */
  public Selection selection() {
    return selection;
  }

  /** The name of the variant the request is served with, or null before the first layer call. */
  public String variant() {
    return variant;
  }
}
