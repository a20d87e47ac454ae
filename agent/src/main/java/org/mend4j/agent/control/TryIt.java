package org.mend4j.agent.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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

  /**
   * The answers: {@code {"prompt", "max_new_tokens", "snapshot", "answers": [{"variant", "edits",
   * "traffic_percent", "completion"}]}}, the default variant first, then the variants in name
   * order.
   */
  static JsonObject answer(
      Snapshot snapshot, String prompt, int maxNewTokens, InProcessEditor editor) {
    List<String> names = new ArrayList<>();
    names.add(Variant.DEFAULT);
    names.addAll(snapshot.variants().keySet());
    List<List<Edit>> editSets = new ArrayList<>();
    for (String name : names) {
      editSets.add(editsOf(snapshot, snapshot.selection(name)));
    }
    List<String> completions = editor.complete(prompt, maxNewTokens, editSets);
    JsonArray answers = new JsonArray();
    for (int i = 0; i < names.size(); i++) {
      JsonObject a = new JsonObject();
      a.addProperty("variant", names.get(i));
      JsonArray ids = new JsonArray();
      editSets.get(i).forEach(e -> ids.add(e.id()));
      a.add("edits", ids);
      Variant v = snapshot.variants().get(names.get(i));
      if (v != null) {
        a.addProperty("traffic_percent", v.trafficPercent());
      }
      a.addProperty("completion", completions.get(i));
      answers.add(a);
    }
    JsonObject json = new JsonObject();
    json.addProperty("prompt", prompt);
    json.addProperty("max_new_tokens", maxNewTokens);
    json.addProperty("snapshot", snapshot.version());
    json.add("answers", answers);
    return json;
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
