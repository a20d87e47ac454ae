package org.mend4j.agent.persist;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.mend4j.agent.registry.EditRegistry;

/**
 * Where the control plane's state lives durably: the edit files, their order and enabled flags, and
 * the variants. Two implementations: {@link DirectoryEditStore} ({@code edits=DIR}, one process, no
 * database) and {@link PostgresEditStore} ({@code store=jdbc:postgresql://...}, a fleet of replicas
 * sharing one edit log). The control plane only sees this interface: it hands a {@link StateChange}
 * to {@link #commit}, and the store makes the registry reflect what it committed.
 */
public interface EditStore {

  /** A directory store in {@code dir}, or one that keeps nothing if {@code dir} is null. */
  static DirectoryEditStore of(Path dir) {
    return DirectoryEditStore.of(dir);
  }

  /** Whether changes outlive the process. */
  boolean persistent();

  /** Where the state is kept, for messages (never with a password). */
  String location();

  /**
   * Registers the stored edits and variants at start (a shared store also starts following changes
   * made elsewhere).
   *
   * @param registry where to register them
   * @param disabledByConfig ids that start disabled where the store has no flag of its own
   * @return the number of edits registered
   */
  int load(EditRegistry registry, Set<String> disabledByConfig);

  /**
   * Applies a change to the store's latest state, durably, and then brings {@code registry} to the
   * committed state (and whatever else the store holds by then).
   *
   * @throws StoreUnavailableException if the store cannot be reached; nothing was changed
   * @throws java.io.IOException if writing failed; nothing was changed
   * @throws RuntimeException from {@link StateChange#apply}, when the change is refused
   */
  void commit(EditRegistry registry, StateChange change) throws java.io.IOException;

  /** The store's part of the status document: kind, location, and for a shared store, sync. */
  JsonObject status();
}
