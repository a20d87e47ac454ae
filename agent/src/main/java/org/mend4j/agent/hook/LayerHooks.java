package org.mend4j.agent.hook;

import java.util.concurrent.atomic.AtomicReference;
import org.mend4j.agent.entry.HostCallHandler;
import org.mend4j.agent.registry.Snapshot;

/**
 * What the host's instrumented code reaches ({@link org.mend4j.agent.entry.HostCalls}): routes each
 * call to the {@link DjlCopy} of the object it came from, and a request's start and end to its
 * {@link RequestScope}.
 *
 * <p>The forward hook's fast path, outside a host request, is one volatile read ({@code current})
 * and a return when no edit is active; inside one (opened by the request boundary advice), a
 * thread-local read, a class-value lookup of the copy, and, from the request's second layer call
 * on, a few field reads of its pinned selection. A host without active edits runs exactly its own
 * code.
 */
public final class LayerHooks implements HostCallHandler {

  private static final int MAX_HEADER = 256;

  private final AtomicReference<Snapshot> current;
  private final DjlCopies copies;
  private final boolean torchScript;
  private final boolean attached;

  /**
   * Creates the hooks.
   *
   * @param current where the registry publishes its snapshots
   * @param copies the copies of DJL in the JVM
   * @param torchScript whether TorchScript modules are edited (false: left alone)
   * @param attached whether the agent was attached to a running JVM (only then can a copy be
   *     learning its layers from their calls, which needs every call)
   */
  public LayerHooks(
      AtomicReference<Snapshot> current, DjlCopies copies, boolean torchScript, boolean attached) {
    this.current = current;
    this.copies = copies;
    this.torchScript = torchScript;
    this.attached = attached;
  }

  @Override
  public void onLayerConstructed(Object layer) {
    DjlCopy copy = copies.of(layer);
    if (copy != null) {
      copy.layerConstructed(layer);
    }
  }

  @Override
  public void onChildAdded(Object parent, String name, Object child) {
    DjlCopy copy = copies.of(parent);
    if (copy != null) {
      copy.childAdded(parent, name, child);
    }
  }

  /**
   * The merged fast path: null, the layer computing as it always does, unless the selection in use
   * has edits on this layer and the merge rule takes its weight.
   */
  @Override
  public Object onLinearEnter(
      Object layer, Object parameterStore, Object inputs, boolean training) {
    RequestScope scope = RequestScope.current();
    Snapshot snapshot = null;
    if (scope == null) {
      snapshot = current.get();
      if (!snapshot.hookActive()) {
        return null;
      }
    }
    DjlCopy copy = copies.of(layer);
    if (copy == null || !copy.merges()) {
      return null;
    }
    return copy.linearEnter(scope, snapshot, layer, parameterStore, inputs, training);
  }

  /** Adds the selected edits bound to the layer to its output. */
  @Override
  public void onForwardExit(Object layer, Object inputs, Object output) {
    RequestScope scope = RequestScope.current();
    Snapshot snapshot = scope == null ? current.get() : null;
    // the first layer call marks the host ready (its layers are built), edits or not
    boolean wanted = scope != null || snapshot.hookActive() || !snapshot.hostReady();
    if (!wanted && !attached) {
      return; // the fast path: one volatile read
    }
    DjlCopy copy = copies.of(layer);
    if (copy != null && (wanted || copy.discovering())) {
      copy.forwardExit(scope, snapshot, layer, inputs, output);
    }
  }

  /**
   * Loads TorchScript parameters as ordinary tensors (DJL's {@code trainParam}), which libtorch
   * lets the agent change in place; DJL's default, inference tensors, cannot be. The module
   * computes the same either way.
   */
  @Override
  public boolean onModuleLoad(boolean requested) {
    return requested || torchScript;
  }

  @Override
  public Object onModuleEnter(Object module, boolean training) {
    if (!torchScript) {
      return null;
    }
    DjlCopy copy = copies.of(module);
    return copy == null ? null : copy.moduleEnter(RequestScope.current(), module, training);
  }

  @Override
  public void onModuleExit(Object admitted) {
    if (admitted instanceof ModulePass pass) {
      pass.end();
    }
  }

  @Override
  public Object onRequestStart(String variant, String requestId) {
    return RequestScope.open(clip(variant), clip(requestId));
  }

  @Override
  public void onRequestEnd(Object scope) {
    if (scope instanceof RequestScope s) {
      RequestScope.close(s);
    }
  }

  private static String clip(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip();
    if (v.isEmpty()) {
      return null;
    }
    return v.length() > MAX_HEADER ? v.substring(0, MAX_HEADER) : v;
  }
}
