package org.mend4j.agent.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mend4j.runtime.edit.EditRequest;

/**
 * The body of {@code POST /mend4j/v1/edits} as JSON: one request {@code {"prompt", "target_new",
 * "rephrase_prompt"?}}, or a list of them for one batched edit.
 */
final class EditRequests {

  /** Most requests in one batched edit. */
  static final int MAX_BATCH = 64;

  private static final Set<String> FIELDS = Set.of("prompt", "target_new", "rephrase_prompt");

  private EditRequests() {}

  /**
   * Parses and validates a body.
   *
   * @throws HttpError 400 naming the record and field at fault
   */
  static List<EditRequest> parse(String body) {
    JsonElement json = StrictJson.parse(body);
    List<EditRequest> requests = new ArrayList<>();
    if (json.isJsonObject()) {
      requests.add(request(json.getAsJsonObject(), "edit request"));
    } else if (json.isJsonArray()) {
      JsonArray list = json.getAsJsonArray();
      if (list.isEmpty()) {
        throw HttpError.badRequest("the list of edit requests is empty");
      }
      if (list.size() > MAX_BATCH) {
        throw HttpError.badRequest(
            "a batched edit takes at most " + MAX_BATCH + " requests, found " + list.size());
      }
      for (int i = 0; i < list.size(); i++) {
        String what = "edit request [" + i + "]";
        if (!list.get(i).isJsonObject()) {
          throw HttpError.badRequest(what + " must be an object, found " + list.get(i));
        }
        requests.add(request(list.get(i).getAsJsonObject(), what));
      }
    } else {
      throw HttpError.badRequest(
          "expected an edit request object or a list of them, found "
              + StrictJson.abbreviate(json));
    }
    return requests;
  }

  private static EditRequest request(JsonObject o, String what) {
    StrictJson.onlyFields(o, FIELDS, what);
    String prompt = StrictJson.string(o, "prompt", true, what);
    String target = StrictJson.string(o, "target_new", true, what);
    String rephrase = StrictJson.string(o, "rephrase_prompt", false, what);
    try {
      return new EditRequest(prompt, target, rephrase);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(what + ": " + e.getMessage().replace("edit request: ", ""));
    }
  }
}
