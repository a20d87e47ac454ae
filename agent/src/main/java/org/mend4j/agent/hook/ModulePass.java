package org.mend4j.agent.hook;

/**
 * A TorchScript module's forward pass, admitted with the weights its edits need: no change to the
 * module's weights starts until it ends.
 */
public interface ModulePass {

  /** Ends the pass (after the module's forward, also when it threw). */
  void end();
}
