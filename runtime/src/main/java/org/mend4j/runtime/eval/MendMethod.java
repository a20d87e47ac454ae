package org.mend4j.runtime.eval;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditComposition;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.mend.MendEdits;

/**
 * MEND as an {@link EditMethod}: one edit per batch, computed on the model the earlier edits left
 * (as the agent does, {@link MendEdits#editAmong}), and every edit so far composed anew by {@link
 * EditComposition}.
 */
public final class MendMethod implements EditMethod {

  private final MendEdits edits;
  private final EditComposition.Mode mode;
  private final int passes;
  private final boolean gatesOpen;

  /**
   * MEND with the given model and editor, its edits combined by {@code mode}, each refined in at
   * most {@code passes} editor passes ({@link MendEdits#editAmong}); summed edits take one pass, as
   * MEND's original rule does.
   */
  public MendMethod(MendEdits edits, EditComposition.Mode mode, int passes) {
    this(edits, mode, passes, false);
  }

  /**
   * The same, evaluated with every composed row applied to every input if {@code gatesOpen} (as a
   * TorchScript host or a merged checkpoint computes); edits are still computed on the gated model,
   * as the agent's in-process editor computes them.
   */
  public MendMethod(MendEdits edits, EditComposition.Mode mode, int passes, boolean gatesOpen) {
    this.edits = edits;
    this.mode = mode;
    this.passes = mode == EditComposition.Mode.SUM ? 1 : passes;
    this.gatesOpen = gatesOpen;
  }

  @Override
  public String name() {
    return "mend";
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> out = new LinkedHashMap<>();
    boolean keys = edits.editor().keyCovariance().isPresent();
    out.put(
        "composition",
        mode == EditComposition.Mode.SUM || !keys ? "sum" : mode.name().toLowerCase(Locale.ROOT));
    out.put("passes", passes);
    out.put("gates", gatesOpen ? "open" : "per-input");
    edits
        .editor()
        .keyCovariance()
        .filter(k -> mode == EditComposition.Mode.LEAST_SQUARES)
        .ifPresent(k -> out.put("key_covariance", k.description()));
    return out;
  }

  @Override
  public Run start(Gpt2Params base, NDManager manager) {
    return new Run() {
      private final List<Edit> made = new ArrayList<>();
      private NDManager composed = manager.newSubManager();
      private Gpt2Params params = base;

      @Override
      public void add(List<EditCase> batch) {
        List<EditRequest> requests =
            batch.stream()
                .map(c -> new EditRequest(c.prompt(), c.targetNew(), c.rephrasePrompt()))
                .toList();
        made.add(edits.editAmong(requests, made, mode, passes));
        NDManager next = manager.newSubManager();
        params = EditedParams.of(base, made, edits::fingerprint, mode, next);
        composed.close();
        composed = next;
      }

      @Override
      public Gpt2Params params() {
        return gatesOpen ? EditedParams.withGatesOpen(params) : params;
      }
    };
  }
}
