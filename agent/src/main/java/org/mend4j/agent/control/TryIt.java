package org.mend4j.agent.control;

import java.util.ArrayList;
import java.util.List;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.Selection;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.runtime.edit.Edit;

/**
 * "Try it": one prompt answered under every variant side by side, {@code POST /mend4j/v1/try} with
 * {@code {"prompt", "max_new_tokens"?}}. The answers are computed by the agent's in-process model
 * ({@code model=DIR}), each variant's edits composed as the forward hook composes them, so it works
 * for any host, whatever its API, and never reaches the host's traffic or counters.
 */
final class TryIt {

  private TryIt() {}

  /** The answers, the default variant first, then the variants in name order. */
  static TryAnswers answer(
      Snapshot snapshot, String prompt, int maxNewTokens, EditComputer editor) {
    List<String> names = new ArrayList<>();
    names.add(Variant.DEFAULT);
    names.addAll(snapshot.variants().keySet());
    List<List<Edit>> editSets = new ArrayList<>();
    for (String name : names) {
      editSets.add(editsOf(snapshot, snapshot.selection(name)));
    }
    List<String> completions = editor.complete(prompt, maxNewTokens, editSets);
    List<TryAnswers.Answer> answers = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      Variant v = snapshot.variants().get(names.get(i));
      answers.add(
          new TryAnswers.Answer(
              names.get(i),
              editSets.get(i).stream().map(Edit::id).toList(),
              v == null ? null : v.trafficPercent(),
              completions.get(i)));
    }
    return new TryAnswers(prompt, maxNewTokens, snapshot.version(), answers);
  }

  /** The selection's edits in registration order: the order the hook composes them in. */
  private static List<Edit> editsOf(Snapshot snapshot, Selection selection) {
    List<Edit> edits = new ArrayList<>();
    for (EditEntry e : snapshot.edits()) {
      if (selection.editIds().contains(e.id())) {
        edits.add(e.edit());
      }
    }
    return edits;
  }
}
