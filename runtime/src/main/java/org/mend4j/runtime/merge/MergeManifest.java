package org.mend4j.runtime.merge;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;

/**
 * The small JSON document a merged checkpoint carries ({@value #FILE}), so whoever serves it can
 * tell which edits it holds and what it was made from:
 *
 * <pre>
 * {"format": "mend4j.merge/1",
 *  "base": {"model": "/models/world-gpt2", "weights_sha256": "..."},
 *  "weights_sha256": "...",
 *  "composition": "least-squares",
 *  "edits": [{"id": "e3f...", "file": "kethia.mend.safetensors", "sha256": "...",
 *             "editor_id": "...", "created": "...",
 *             "requests": [{"prompt": "...", "target_new": "...", "rephrase_prompt": "..."}]}],
 *  "weights": [{"name": "transformer.h.3.mlp.c_fc.weight", "dtype": "F32", "rows": 7,
 *               "gated_rows": 7, "base_fingerprint": "sha256:...", "merged_fingerprint": "sha256:..."}]}
 * </pre>
 *
 * <p>{@code gated_rows} counts the composed rows that the functional model applies only where an
 * input projects on their key; a dense weight applies them to every input.
 */
final class MergeManifest {

  /** The manifest's file name inside a merged checkpoint. */
  static final String FILE = "mend4j-merge.json";

  static final String FORMAT = "mend4j.merge/1";

  /**
   * One merged edit.
   *
   * @param file its file name
   * @param sha256 the SHA-256 of the edit file
   * @param edit the edit
   */
  record MergedEdit(String file, String sha256, Edit edit) {}

  private MergeManifest() {}

  static String json(
      String model,
      String baseSha256,
      String mergedSha256,
      List<MergedEdit> edits,
      List<CheckpointMerge.WeightChange> weights) {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    JsonObject base = new JsonObject();
    base.addProperty("model", model);
    base.addProperty("weights_sha256", baseSha256);
    json.add("base", base);
    json.addProperty("weights_sha256", mergedSha256);
    json.addProperty("composition", "least-squares");
    JsonArray list = new JsonArray();
    for (MergedEdit m : edits) {
      JsonObject o = new JsonObject();
      o.addProperty("id", m.edit().id());
      o.addProperty("file", m.file());
      o.addProperty("sha256", m.sha256());
      o.addProperty("editor_id", m.edit().editorId());
      o.addProperty("created", m.edit().created().toString());
      o.add("requests", EditFile.requestsJson(m.edit()));
      list.add(o);
    }
    json.add("edits", list);
    JsonArray changed = new JsonArray();
    for (CheckpointMerge.WeightChange w : weights) {
      JsonObject o = new JsonObject();
      o.addProperty("name", w.name());
      o.addProperty("dtype", w.dtype().name());
      o.addProperty("rows", w.rows());
      o.addProperty("gated_rows", w.gatedRows());
      o.addProperty("base_fingerprint", w.baseFingerprint());
      o.addProperty("merged_fingerprint", w.mergedFingerprint());
      changed.add(o);
    }
    json.add("weights", changed);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
  }
}
