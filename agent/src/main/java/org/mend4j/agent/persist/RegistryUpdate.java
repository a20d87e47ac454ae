package org.mend4j.agent.persist;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.runtime.edit.Edit;

/**
 * Brings a registry to a stored state in one swap ({@link EditRegistry#replaceAll}): the stored
 * order and flags, the variants; edits the registry does not hold yet come from {@code fetched}.
 */
final class RegistryUpdate {

  private RegistryUpdate() {}

  /**
   * Applies {@code state}.
   *
   * @param registry the registry
   * @param state the stored state
   * @param fetched edits the registry may not hold yet, by id
   * @param source where new edits came from, for status and messages
   * @return the ids {@code state} lists that neither the registry nor {@code fetched} holds (left
   *     out)
   */
  static List<String> apply(
      EditRegistry registry, PersistedState state, Map<String, Edit> fetched, String source) {
    Snapshot s = registry.current();
    List<EditRegistry.Stored> edits = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    state
        .enabled()
        .forEach(
            (id, on) -> {
              Edit edit = s.edit(id).map(EditEntry::edit).orElse(fetched.get(id));
              if (edit == null) {
                missing.add(id);
              } else {
                edits.add(new EditRegistry.Stored(edit, on, source));
              }
            });
    registry.replaceAll(edits, state.variants());
    return missing;
  }
}
