package org.mend4j.agent.persist;

import org.mend4j.runtime.edit.Edit;

/**
 * One change of the durable state, applied by an {@link EditStore} to the <em>latest</em> state it
 * holds (for a shared store, the state other replicas may have changed since this replica last saw
 * it), so a change is validated where it is committed and two replicas' changes never overwrite
 * each other.
 */
public interface StateChange {

  /**
   * The state after this change.
   *
   * @param latest the store's latest state
   * @return the next state; {@code latest} itself if the change makes no difference
   * @throws RuntimeException saying why the change cannot be made on {@code latest} (the store then
   *     writes nothing)
   */
  PersistedState apply(PersistedState latest);

  /** The edit this change adds, or null. */
  default Edit addedEdit() {
    return null;
  }

  /** The bytes of {@link #addedEdit()}'s edit file, or null. */
  default byte[] addedFile() {
    return null;
  }

  /** The id of the edit this change removes, or null. */
  default String removedEdit() {
    return null;
  }

  /** Where an added edit came from (an API call), for status and messages. */
  default String source() {
    return "store";
  }

  /** A short description for the store's change log, such as {@code enable e33a...}. */
  String summary();
}
