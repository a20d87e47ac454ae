package org.mend4j.agent.djl;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SymbolBlock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every parameter array of the host's models in one copy of DJL: the models are the roots of the
 * block trees the recorded layers hang in, and a DJL block's {@code getParameters()} lists its own
 * parameters and then its children's, recursively, so a root gives the embeddings, LayerNorms and
 * biases too, which the layer catalog alone does not hold. TorchScript modules ({@link
 * SymbolBlock}s) are left out: the agent changes their weights in place while edits are active, so
 * an array of theirs is not always the base weight. An agent attached after the host built its
 * model has no tree, finds only the layers' own parameters, and so computes edits on a loaded copy.
 */
final class HostParameters {

  private HostParameters() {}

  /** The initialised parameter arrays under the roots of {@code catalog}'s layers, each once. */
  static List<Object> arrays(LayerCatalog catalog, BlockTree tree) {
    Set<Block> roots = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<Object, LayerState> layer : catalog.live()) {
      if (tree.root(layer.getKey()) instanceof Block root && !(root instanceof SymbolBlock)) {
        roots.add(root);
      }
    }
    Set<Object> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Block root : roots) {
      for (Parameter p : root.getParameters().values()) {
        if (p.isInitialized()) {
          arrays.add(p.getArray());
        }
      }
    }
    return new ArrayList<>(arrays);
  }
}
