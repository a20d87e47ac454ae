package org.mend4j.runtime.data;

import com.google.gson.JsonObject;
import java.util.Objects;

/**
 * A record of EasyEdit's flat CounterFact format (as in its {@code counterfact-train.json}): {@code
 * {case_id, prompt, target_new, subject, ground_truth, rephrase_prompt, locality_prompt,
 * locality_ground_truth}}.
 */
public record CounterFactRecord(
    int caseId,
    String prompt,
    String targetNew,
    String subject,
    String groundTruth,
    String rephrasePrompt,
    String localityPrompt,
    String localityGroundTruth) {

  static final String CASE_ID = "case_id";

  public CounterFactRecord {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(targetNew, "targetNew");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(groundTruth, "groundTruth");
    Objects.requireNonNull(rephrasePrompt, "rephrasePrompt");
    Objects.requireNonNull(localityPrompt, "localityPrompt");
    Objects.requireNonNull(localityGroundTruth, "localityGroundTruth");
  }

  /** The common view. */
  public EditCase toEditCase() {
    return new EditCase(
        caseId,
        prompt,
        targetNew,
        groundTruth,
        subject,
        rephrasePrompt,
        localityPrompt,
        localityGroundTruth);
  }

  /**
   * Reads one record. {@code case_id} may be absent (then the index, as EasyEdit numbers records);
   * the string fields are required and non-empty; other fields are ignored.
   */
  static CounterFactRecord fromJson(JsonRecords.Fields f) {
    if (f.has("requested_rewrite")) {
      throw f.error(
          null,
          "this is the ROME/MEMIT nested CounterFact format (requested_rewrite); expected"
              + " EasyEdit's flat format with prompt, target_new, ground_truth, ...");
    }
    int caseId = f.has(CASE_ID) ? f.requireInt(CASE_ID) : f.index();
    return new CounterFactRecord(
        caseId,
        f.requireString("prompt"),
        f.requireString("target_new"),
        f.requireString("subject"),
        f.requireString("ground_truth"),
        f.requireString("rephrase_prompt"),
        f.requireString("locality_prompt"),
        f.requireString("locality_ground_truth"));
  }

  /** The JSON object, fields in EasyEdit's order. */
  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty(CASE_ID, caseId);
    o.addProperty("prompt", prompt);
    o.addProperty("target_new", targetNew);
    o.addProperty("subject", subject);
    o.addProperty("ground_truth", groundTruth);
    o.addProperty("rephrase_prompt", rephrasePrompt);
    o.addProperty("locality_prompt", localityPrompt);
    o.addProperty("locality_ground_truth", localityGroundTruth);
    return o;
  }
}
