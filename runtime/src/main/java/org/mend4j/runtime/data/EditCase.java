package org.mend4j.runtime.data;

import java.util.Objects;

/**
 * One edit request with its evaluation prompts: the common view of a CounterFact and a zsRE record
 * (EasyEdit's dataset classes map both to these fields).
 *
 * <p>Targets carry no leading space: EasyEdit evaluates {@code prompt + " " + target}.
 *
 * @param caseId the record's {@code case_id} (CounterFact) or its index in the file (zsRE)
 * @param prompt the edit prompt, ending right before the target
 * @param targetNew the new object the edit should make the model produce
 * @param groundTruth the object the model produced before the edit
 * @param subject the subject of the edited fact
 * @param rephrasePrompt a paraphrase of {@code prompt} (generalisation)
 * @param localityPrompt an unrelated prompt whose answer must not change (locality)
 * @param localityGroundTruth the answer to {@code localityPrompt}
 */
public record EditCase(
    int caseId,
    String prompt,
    String targetNew,
    String groundTruth,
    String subject,
    String rephrasePrompt,
    String localityPrompt,
    String localityGroundTruth) {
  public EditCase {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(targetNew, "targetNew");
    Objects.requireNonNull(groundTruth, "groundTruth");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(rephrasePrompt, "rephrasePrompt");
    Objects.requireNonNull(localityPrompt, "localityPrompt");
    Objects.requireNonNull(localityGroundTruth, "localityGroundTruth");
  }
}
