package org.mend4j.runtime.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One fact of the knowledge world as {@code data/world/facts.json} stores it: what {@code
 * world-eval} scores, by greedy exact match of {@code object} after each prompt.
 *
 * @param subject the subject's name
 * @param subjectType the subject's entity type ({@code "country"}, ...)
 * @param relation the relation id ({@code "capital"}, ...)
 * @param object the object's name, without a leading space
 * @param objectType the object's entity type
 * @param split the edit-dataset split of the subject: {@code train}, {@code val} or {@code test}
 * @param prompts the prompts the model was pretrained on for this fact
 * @param rephrasePrompt the held-out prompt, never in pretraining for this fact
 */
public record FactRecord(
    String subject,
    String subjectType,
    String relation,
    String object,
    String objectType,
    String split,
    List<String> prompts,
    String rephrasePrompt) {
  public FactRecord {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(rephrasePrompt, "rephrasePrompt");
    prompts = List.copyOf(prompts);
  }

  /** Reads a facts file. */
  public static List<FactRecord> read(Path file) {
    return JsonRecords.read(file, FactRecord::fromJson);
  }

  /** Writes a facts file as a pretty-printed JSON array. */
  public static void write(List<FactRecord> facts, Path file) {
    JsonRecords.write(file, facts.stream().map(FactRecord::toJson).toList());
  }

  static FactRecord fromJson(JsonRecords.Fields f) {
    return new FactRecord(
        f.requireString("subject"),
        f.requireString("subject_type"),
        f.requireString("relation"),
        f.requireString("object"),
        f.requireString("object_type"),
        f.requireString("split"),
        f.requireStringList("prompts"),
        f.requireString("rephrase_prompt"));
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("subject", subject);
    o.addProperty("subject_type", subjectType);
    o.addProperty("relation", relation);
    o.addProperty("object", object);
    o.addProperty("object_type", objectType);
    o.addProperty("split", split);
    JsonArray p = new JsonArray();
    prompts.forEach(p::add);
    o.add("prompts", p);
    o.addProperty("rephrase_prompt", rephrasePrompt);
    return o;
  }
}
