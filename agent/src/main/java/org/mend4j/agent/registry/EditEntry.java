package org.mend4j.agent.registry;

import org.mend4j.runtime.edit.Edit;

/**
 * An edit as the registry holds it: the edit itself, whether it is switched on, and how it is bound
 * to the host. Immutable; a change makes a new entry in a new {@link Snapshot}.
 *
 * @param edit the edit
 * @param enabled whether it belongs to the default selection
 * @param binding where it applies in the host
 * @param source where it came from (a file, or an API call), for status and messages
 */
public record EditEntry(Edit edit, boolean enabled, Binding binding, String source) {

  /** The edit's id. */
  public String id() {
    return edit.id();
  }

  /** True if the edit changes the host's outputs: enabled and bound. */
  public boolean active() {
    return enabled && binding.isBound();
  }

  EditEntry withEnabled(boolean value) {
    return new EditEntry(edit, value, binding, source);
  }

  EditEntry withBinding(Binding value) {
    return new EditEntry(edit, enabled, value, source);
  }
}
