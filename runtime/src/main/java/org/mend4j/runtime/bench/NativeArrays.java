package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The native arrays a manager tree holds beyond those it held when this was made: what a run of
 * work left behind. DJL puts an operation's result in its receiver's manager, so an operation on a
 * long-lived array (a weight, an editor parameter) that is not closed stays until that manager
 * closes; counting the tree before and after shows it.
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
  int added() {
    return addedArrays().size();
  }

  /** Their size in bytes. */
  long addedBytes() {
    return addedArrays().stream().mapToLong(a -> a.size() * a.getDataType().getNumOfBytes()).sum();
  }

  private List<NDArray> addedArrays() {
    return root.getManagedArrays().stream()
        .filter(a -> !a.isReleased() && !before.contains(a.getUid()))
        .toList();
  }
}
