package org.mend4j.agent.entry;

/**
 * What the agent does when the host's instrumented code calls it ({@link HostCalls}). Every
 * argument and result is typed {@code Object}, never a DJL or servlet type: this interface is
 * loaded by the system class loader, which may see neither, and implemented by the agent's own
 * class loader ({@link AgentClassLoader}).
 */
public interface HostCallHandler {

  /** After a layer's constructor. */
  void onLayerConstructed(Object layer);

  /** After {@code AbstractBlock.addChildBlock(name, child)}. */
  void onChildAdded(Object parent, String name, Object child);

  /**
   * Before a DJL {@code Linear}'s forward: the layer's output computed with merged edits, or null
   * to let the layer compute.
   */
  Object onLinearEnter(Object layer, Object parameterStore, Object inputs, boolean training);

  /** After a layer's forward: may replace the first array of {@code output}. */
  void onForwardExit(Object layer, Object inputs, Object output);

  /** Before DJL loads a TorchScript module: whether to load its parameters as tensors. */
  boolean onModuleLoad(boolean requested);

  /** Before a TorchScript module's forward: what to hand to {@link #onModuleExit}, or null. */
  Object onModuleEnter(Object module, boolean training);

  /** After a TorchScript module's forward, also when it threw. */
  void onModuleExit(Object admitted);

  /**
   * When the host starts serving a request: opens its scope (null if one is open already).
   *
   * @param variant the request's variant header, or null
   * @param requestId the request's id header, or null
   */
  Object onRequestStart(String variant, String requestId);

  /** When the host has served a request (also when it threw). */
  void onRequestEnd(Object scope);
}
