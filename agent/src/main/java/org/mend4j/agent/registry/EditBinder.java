package org.mend4j.agent.registry;

import java.util.List;
import java.util.Map;
import org.mend4j.runtime.edit.Edit;

/** Binds edits to the host's layers; implemented against the live host by the binding package. */
public interface EditBinder {

  /**
   * Binds each edit against the host layers known now.
   *
   * @param edits the edits to bind
   * @param refuse whether an edit with an unmatched parameter is {@link Binding.State#REFUSED} (the
   *     host's layers are all known) or stays {@link Binding.State#PENDING} (more may appear)
   * @return a binding per edit id
   */
  Map<String, Binding> bind(List<Edit> edits, boolean refuse);
}
