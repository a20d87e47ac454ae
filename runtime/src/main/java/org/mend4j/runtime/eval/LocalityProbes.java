package org.mend4j.runtime.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.data.FactRecord;

/**
 * The prompts whose answers a set of active edits must leave alone, chosen so that none of them is
 * a fact an active edit changes.
 *
 * <p>A dataset's own locality prompts are clean for one edit, but with many edits active they name
 * subjects that other records edit (in the world's test split, 642 of 756 do), and an answer about
 * an edited fact is meant to change. So, given the world's facts, locality is measured on the facts
 * of the validation split (subjects that no record of the dataset edits, and that neither the
 * editor's training nor its key statistics saw; one probe per evaluated record, drawn by a fixed
 * seed), and neighbourhood locality on the other facts of the edited subjects (another relation of
 * the same subject: the hardest locality). Without facts, locality falls back to the records' own
 * prompts that mention no active edit's subject, and there is no neighbourhood figure.
 */
final class LocalityProbes {

  private static final long SEED = 20261201L;
  private static final String POOL_SPLIT = "val";

  private final List<FactRecord> facts;
  private final List<FactRecord> pool;

  /** Probes for edits drawn from {@code dataset}, from the world's {@code facts} (empty: none). */
  LocalityProbes(List<FactRecord> facts, List<EditCase> dataset) {
    this.facts = List.copyOf(facts);
    Set<String> edited = new HashSet<>();
    dataset.forEach(c -> edited.add(c.subject()));
    List<FactRecord> clean = new ArrayList<>();
    for (FactRecord f : facts) {
      if (POOL_SPLIT.equals(f.split()) && !edited.contains(f.subject())) {
        clean.add(f);
      }
    }
    Collections.shuffle(clean, new Random(SEED));
    this.pool = List.copyOf(clean);
  }

  /** Whether facts were given (so the pool and the neighbourhood exist). */
  boolean hasFacts() {
    return !pool.isEmpty();
  }

  /** One locality probe per active case, none of them about a fact an active case edits. */
  List<PromptTarget> locality(List<EditCase> active) {
    List<PromptTarget> probes = new ArrayList<>();
    if (hasFacts()) {
      for (int i = 0; i < active.size(); i++) {
        FactRecord f = pool.get(i % pool.size());
        String prompt = f.prompts().get((i / pool.size()) % f.prompts().size());
        probes.add(new PromptTarget(prompt, f.object()));
      }
      return probes;
    }
    for (EditCase c : active) {
      if (active.stream().noneMatch(e -> mentions(c.localityPrompt(), e.subject()))) {
        probes.add(new PromptTarget(c.localityPrompt(), c.localityGroundTruth()));
      }
    }
    return probes;
  }

  /**
   * The other facts of the active cases' subjects: one probe per (subject, relation) that no active
   * case edits, on its first pretraining prompt.
   */
  List<PromptTarget> neighbourhood(List<EditCase> active) {
    Map<String, Set<String>> editedRelations = new LinkedHashMap<>();
    for (EditCase c : active) {
      String relation = relationOf(c);
      if (relation != null) {
        editedRelations.computeIfAbsent(c.subject(), k -> new HashSet<>()).add(relation);
      }
    }
    List<PromptTarget> probes = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : editedRelations.entrySet()) {
      for (FactRecord f : facts) {
        if (f.subject().equals(e.getKey()) && !e.getValue().contains(f.relation())) {
          probes.add(new PromptTarget(f.prompts().get(0), f.object()));
        }
      }
    }
    return probes;
  }

  /** The relation of the fact a case edits, or null if the facts do not have it. */
  String relationOf(EditCase c) {
    for (FactRecord f : facts) {
      if (f.subject().equals(c.subject())
          && (f.prompts().contains(c.prompt()) || f.rephrasePrompt().equals(c.prompt()))) {
        return f.relation();
      }
    }
    return null;
  }

  private static boolean mentions(String prompt, String subject) {
    return Pattern.compile("\\b" + Pattern.quote(subject) + "\\b").matcher(prompt).find();
  }
}
