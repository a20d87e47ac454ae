package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDManager;
import java.util.HashSet;
import java.util.Set;

/**
 * The native arrays a manager tree holds beyond those it held when this was made: what a run of
 * work left behind. DJL puts an operation's result in its receiver's manager, so an operation on a
 * long-lived array (a weight, an editor parameter) that is not closed stays until that manager
 * closes; counting the tree before and after shows it. A count, not bytes: a view (a transpose, a
 * reshape) is an array of its own that shares its source's storage, and DJL does not say which
 * arrays share storage.
 */
final class NativeArrays {

  private final NDManager root;
  private final Set<String> before = new HashSet<>();

  /** Remembers the arrays {@code root} and its sub-managers hold now. */
  NativeArrays(NDManager root) {
    this.root = root;
    root.getManagedArrays().forEach(a -> before.add(a.getUid()));
  }

  /** How many arrays are held now that were not before. */
  long added() {
    return root.getManagedArrays().stream()
        .filter(a -> !a.isReleased() && !before.contains(a.getUid()))
        .count();
  }
}
