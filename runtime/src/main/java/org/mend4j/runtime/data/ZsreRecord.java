package org.mend4j.runtime.data;

import java.util.List;
import java.util.Objects;

/**
 * A record of EasyEdit's zsRE files ({@code zsre_mend_train.json}, {@code zsre_mend_eval.json}):
 * {@code {subject, src, pred, rephrase, alt, answers[], loc, loc_ans, cond}}.
 *
 * <p>EasyEdit's {@code ZsreDataset} maps it as: prompt = {@code src}, target_new = {@code alt},
 * ground_truth = {@code answers[0]}, rephrase_prompt = {@code rephrase}, locality_prompt = {@code
 * loc}, locality_ground_truth = {@code loc_ans}. {@code loc} is kept as it is in the file (in the
 * published files it starts with {@code "nq question: "}). {@code pred} and {@code cond} are not
 * used and may be absent. {@code alt} may be empty: the published files contain such records and
 * EasyEdit skips them, and so does {@link EasyEditJson#readEditCases}.
 */
public record ZsreRecord(
    String subject,
    String src,
    String pred,
    String rephrase,
    String alt,
    List<String> answers,
    String loc,
    String locAns,
    String cond) {
  public ZsreRecord {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(rephrase, "rephrase");
    Objects.requireNonNull(alt, "alt");
    Objects.requireNonNull(loc, "loc");
    Objects.requireNonNull(locAns, "locAns");
    answers = List.copyOf(answers);
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("answers must not be empty");
    }
  }

  /** Whether EasyEdit keeps this record: it skips records with an empty {@code alt}. */
  public boolean hasTarget() {
    return !alt.isEmpty();
  }

  /** The common view, as EasyEdit maps it; {@code caseId} is the record's index in its file. */
  public EditCase toEditCase(int caseId) {
    if (!hasTarget()) {
      throw new IllegalStateException("zsRE record " + caseId + " has an empty alt (no target)");
    }
    return new EditCase(caseId, src, alt, answers.get(0), subject, rephrase, loc, locAns);
  }

  static ZsreRecord fromJson(JsonRecords.Fields f) {
    return new ZsreRecord(
        f.requireString("subject"),
        f.requireString("src"),
        f.optionalString("pred"),
        f.requireString("rephrase"),
        f.requirePossiblyEmptyString("alt"),
        f.requireStringList("answers"),
        f.requireString("loc"),
        f.requireString("loc_ans"),
        f.optionalString("cond"));
  }
}
