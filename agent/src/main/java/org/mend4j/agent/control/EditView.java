package org.mend4j.agent.control;

import java.time.Instant;
import java.util.List;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.runtime.edit.EditRequest;

/**
 * An edit as the control plane shows it, read from one snapshot: what it makes true, whether it is
 * switched on and applies, and where it is bound. What every protocol renders (admin API, JMX,
 * status file, console), so none of them reads the registry.
 *
 * @param id the edit's id
 * @param requests what it makes true (several for a batched edit)
 * @param created when it was computed
 * @param enabled whether it is in the default variant
 * @param active whether it changes the host's outputs now (enabled and bound)
 * @param binding its binding: state, message, targets
 * @param source where it came from (a file, an API call)
 */
public record EditView(
    String id,
    List<EditRequest> requests,
    Instant created,
    boolean enabled,
    boolean active,
    Binding binding,
    String source) {

  /** Copies the list. */
  public EditView {
    requests = List.copyOf(requests);
  }

  /** The view of {@code entry} in {@code snapshot}. */
  static EditView of(EditEntry entry, Snapshot snapshot) {
    return new EditView(
        entry.id(),
        entry.edit().requests(),
        entry.edit().created(),
        entry.enabled(),
        snapshot.active().editIds().contains(entry.id()),
        entry.binding(),
        entry.source());
  }

  /** Every edit of {@code snapshot}, in registration order. */
  static List<EditView> all(Snapshot snapshot) {
    return snapshot.edits().stream().map(e -> of(e, snapshot)).toList();
  }
}
