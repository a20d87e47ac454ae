package org.mend4j.agent.hook;

import java.util.List;
import org.mend4j.agent.registry.EditBinder;
import org.mend4j.agent.registry.Snapshot;

/**
 * One copy of DJL in the JVM, as the rest of the agent sees it: its layers, the binding of edits to
 * them, and the application of edits to their calls. Implemented in the agent's {@code djl}
 * package, whose classes are defined anew beside each copy ({@link DjlCopyLoader}); this interface
 * names no DJL type, so the one registry and control plane of the JVM serve every copy.
 *
 * <p>Arguments typed {@code Object} are the host's DJL objects (a layer, its {@code NDList}s, a
 * {@code ParameterStore}, a TorchScript {@code PtSymbolBlock}).
 */
public interface DjlCopy extends EditBinder {

  /** Names the copy in status and logs: the class loader that loaded this DJL. */
  String name();

  /** Records a layer the host built. */
  void layerConstructed(Object layer);

  /** Records a child block's name under its parent, for layer paths. */
  void childAdded(Object parent, String name, Object child);

  /** Whether the merged fast path is on (then {@code Linear} calls reach {@link #linearEnter}). */
  boolean merges();

  /**
   * Whether the agent, attached to a running JVM, is still learning this copy's layers from their
   * calls.
   */
  boolean discovering();

  /**
   * Before a {@code Linear}'s forward: its output computed with merged edits, or null.
   *
   * @param scope the host request on this thread, or null (then {@code snapshot} applies)
   * @param snapshot the snapshot the hook read for this call (used when {@code scope} is null)
   */
  Object linearEnter(
      RequestScope scope,
      Snapshot snapshot,
      Object layer,
      Object parameterStore,
      Object inputs,
      boolean training);

  /**
   * After a layer's forward: adds the selected edits bound to it to {@code output}'s first array.
   *
   * @param scope the host request on this thread, or null (then {@code snapshot} applies)
   * @param snapshot the snapshot the hook read for this call (used when {@code scope} is null)
   */
  void forwardExit(
      RequestScope scope, Snapshot snapshot, Object layer, Object inputs, Object output);

  /**
   * Before a TorchScript module's forward: admits the pass with the weights its selection needs.
   *
   * @return the pass to end after the forward, or null
   */
  ModulePass moduleEnter(RequestScope scope, Object module, boolean training);

  /**
   * Every parameter array (an {@code NDArray} of this copy) of the host's models built from DJL
   * blocks, TorchScript modules left out; only read by the caller, never closed.
   */
  List<Object> parameterArrays();

  /** Layers of this copy the agent has recorded. */
  int layers();

  /** Of those, the ones whose weight an edit of {@code snapshot}'s active selection changes. */
  int editedLayers(Snapshot snapshot);
}
