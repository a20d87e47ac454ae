package org.mend4j.tests.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.data.FactRecord;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.tests.support.ControlledService;
import org.mend4j.tests.support.TestPaths;
import org.mend4j.tests.support.WorldFacts;

/**
 * Lifelong editing in the live service: 50 facts of the test split edited one after another through
 * demo-app's admin API (each computed in the running service on the model it serves, with the
 * earlier edits active) all hold at once; of 50 facts no edit touches (the validation split's), at
 * most one answers differently; disabling the 25th edit brings back its original answer while the
 * other 49 hold; a restart restores exactly the same answers.
 *
 * <p>The one: "The city of Temora lies in the country of" answers Molador instead of Nestan, the
 * target of an edit of another city's country (same relation, another subject: the whitened keys of
 * the two prompts are close enough to open the other edit's gate). Stronger whitening of the keys
 * keeps it but loses generalisation on the test split (README, "Many edits at once").
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class LifelongEditingTest {

  private static final int EDITS = 50;
  private static final int TAKEN_BACK = 24;

  @TempDir Path tmp;

  @Test
  void fiftyEditsInARowAllHoldAndOneCanBeTakenBack() throws IOException {
    List<CounterFactRecord> facts = WorldFacts.oneRecordPerFact(EDITS);
    List<FactRecord> untouched = untouched(EDITS);
    Path edits = tmp.resolve("edits");
    Map<String, String> answers;
    try (ControlledService service = ControlledService.start("lifelong-1", edits, Map.of())) {
      AdminClient admin = service.admin();
      List<String> originals = new ArrayList<>();
      for (CounterFactRecord f : facts) {
        originals.add(answer(service, f.prompt()));
      }
      Map<String, String> unrelatedBefore = unrelated(service, untouched);
      List<String> ids = new ArrayList<>();
      for (CounterFactRecord f : facts) {
        ids.add(
            admin
                .expect(201, "POST", "/mend4j/v1/edits", WorldFacts.json(f))
                .getAsJsonObject()
                .get("id")
                .getAsString());
      }
      for (CounterFactRecord f : facts) {
        assertThat(answer(service, f.prompt())).as(f.prompt()).isEqualTo(f.targetNew());
      }
      Map<String, String> unrelatedAfter = unrelated(service, untouched);
      List<String> changed =
          unrelatedBefore.keySet().stream()
              .filter(p -> !unrelatedBefore.get(p).equals(unrelatedAfter.get(p)))
              .toList();
      assertThat(changed).as("unrelated prompts answering differently").hasSizeLessThanOrEqualTo(1);

      admin.expect(200, "POST", "/mend4j/v1/edits/" + ids.get(TAKEN_BACK) + "/disable", null);
      for (int i = 0; i < EDITS; i++) {
        CounterFactRecord f = facts.get(i);
        String expected = i == TAKEN_BACK ? originals.get(i) : f.targetNew();
        assertThat(answer(service, f.prompt())).as(f.prompt()).isEqualTo(expected);
      }
      answers = all(service, facts, untouched);
    }
    try (ControlledService restarted = ControlledService.start("lifelong-2", edits, Map.of())) {
      assertThat(all(restarted, facts, untouched)).isEqualTo(answers);
    }
  }

  /** {@code n} facts of the validation split: subjects no test record edits. */
  private static List<FactRecord> untouched(int n) {
    return FactRecord.read(TestPaths.repoRoot().resolve("data/world/facts.json")).stream()
        .filter(f -> f.split().equals("val"))
        .limit(n)
        .toList();
  }

  private static Map<String, String> unrelated(ControlledService s, List<FactRecord> facts)
      throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (FactRecord f : facts) {
      out.put(f.prompts().get(0), answer(s, f.prompts().get(0)));
    }
    return out;
  }

  private static Map<String, String> all(
      ControlledService s, List<CounterFactRecord> facts, List<FactRecord> untouched)
      throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (CounterFactRecord f : facts) {
      out.put(f.prompt(), answer(s, f.prompt()));
    }
    out.putAll(unrelated(s, untouched));
    return out;
  }

  /** The service's greedy next word (every entity of the world is one token). */
  private static String answer(ControlledService s, String prompt) throws IOException {
    return s.answer(prompt, 1, Map.of()).trim();
  }
}
