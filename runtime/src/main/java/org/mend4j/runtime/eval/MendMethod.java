package org.mend4j.runtime.eval;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.mend.MendEdits;

/** MEND as an {@link EditMethod}: one editor pass per edit, applied as factored deltas. */
public final class MendMethod implements EditMethod {

  private final MendEdits edits;

  /** MEND with the given model and editor. */
  public MendMethod(MendEdits edits) {
    this.edits = edits;
  }

  @Override
  public String name() {
    return "mend";
  }

  @Override
  public Gpt2Params apply(EditCase c, Gpt2Params current, NDManager manager) {
    Edit edit =
        edits.edit(
            List.of(new EditRequest(c.prompt(), c.targetNew(), c.rephrasePrompt())), current);
    return EditedParams.of(current, List.of(edit), edits::fingerprint, manager);
  }
}
