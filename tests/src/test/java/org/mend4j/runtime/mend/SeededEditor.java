package org.mend4j.runtime.mend;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.train.LabeledExample;

/**
 * Real MEND edits without a trained editor, for end-to-end tests until the world model's editor
 * lands: an identity-initialised editor whose normalisation statistics come from a few
 * training-mode passes, with a chosen step size (negative: the untrained editor passes the gradient
 * through, and {@code W + alpha G} must descend). The edit is computed by {@link MendEdits} exactly
 * as the CLI's. (In this package for the editor's package-private training hooks.)
 */
public final class SeededEditor {

  private static final String[][] WARM_UP = {
    {"The capital of France is", "Paris"},
    {"Hello world", "again"},
    {"She said it's the best", "place"},
    {"Numbers like 42", "and"}
  };

  private SeededEditor() {}

  /**
   * One edit making {@code model} continue {@code prompt} with {@code target}.
   *
   * @param model the model to edit
   * @param manager where the editor's arrays live
   * @param alpha the step size of every inner weight
   */
  public static Edit edit(
      Gpt2Model model, NDManager manager, String prompt, String target, double alpha) {
    MendHparams h = MendHparams.defaults(model.config());
    h.rank = 16;
    h.editLr = alpha;
    MendEditor editor = MendEditor.create(h, model.config(), manager);
    MendEdits edits = new MendEdits(model, editor);
    List<LabeledExample> warmUp = new ArrayList<>();
    for (String[] pair : WARM_UP) {
      warmUp.add(LabeledExample.of(model.tokenizer(), pair[0], pair[1]));
    }
    try (NDManager scope = manager.newSubManager()) {
      Map<String, GradientFactors> factors = edits.capture(warmUp, model.weights(), scope);
      for (int i = 0; i < editor.innerParams().size(); i++) {
        editor.transform(i, factors.get(editor.innerParams().get(i)), true, scope);
      }
    }
    return edits.edit(List.of(new EditRequest(prompt, target, null)), model.weights());
  }
}
