package org.mend4j.runtime.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.world.EditDatasets.Split;

class EditDatasetsTest {

  private static final World WORLD = World.generate(World.DEFAULT_SEED);
  private static final EditDatasets DATA = EditDatasets.build(WORLD);
  private static final Map<String, Fact> FACT_OF_PROMPT = new HashMap<>();
  private static final Map<String, Entity> ENTITY = new HashMap<>();

  static {
    for (Fact f : WORLD.facts()) {
      for (int t = 0; t < f.relation().templates().size(); t++) {
        FACT_OF_PROMPT.put(f.prompt(t), f);
      }
    }
    WORLD.entities().forEach(e -> ENTITY.put(e.name(), e));
  }

  @Test
  void hasTheRequiredSizes() {
    assertThat(DATA.records(Split.TRAIN)).hasSizeGreaterThanOrEqualTo(2000);
    assertThat(DATA.records(Split.TEST)).hasSizeGreaterThanOrEqualTo(500);
    assertThat(DATA.records(Split.VAL)).hasSizeBetween(200, 300);
  }

  @Test
  void isDeterministic() {
    EditDatasets again = EditDatasets.build(World.generate(World.DEFAULT_SEED));
    for (Split s : Split.values()) {
      assertThat(again.records(s)).isEqualTo(DATA.records(s));
    }
  }

  @Test
  void splitsAreDisjointBySubjectIncludingLocalityPrompts() {
    Map<Split, Set<String>> subjects = new HashMap<>();
    for (Split s : Split.values()) {
      Set<String> names = new HashSet<>();
      for (CounterFactRecord r : DATA.records(s)) {
        names.add(r.subject());
        names.add(FACT_OF_PROMPT.get(r.localityPrompt()).subject().name());
      }
      subjects.put(s, names);
    }
    assertThat(subjects.get(Split.TEST))
        .doesNotContainAnyElementsOf(subjects.get(Split.TRAIN))
        .doesNotContainAnyElementsOf(subjects.get(Split.VAL));
    assertThat(subjects.get(Split.VAL)).doesNotContainAnyElementsOf(subjects.get(Split.TRAIN));
    for (Split s : Split.values()) {
      for (String name : subjects.get(s)) {
        assertThat(DATA.splitOf(ENTITY.get(name))).isEqualTo(s);
      }
    }
  }

  @Test
  void everyRecordIsAValidCounterfactualOfARealFact() {
    for (Split s : Split.values()) {
      List<CounterFactRecord> records = DATA.records(s);
      assertThat(records.stream().map(CounterFactRecord::caseId))
          .containsExactlyElementsOf(IntStream.range(0, records.size()).boxed().toList());
      for (CounterFactRecord r : records) {
        Fact f = FACT_OF_PROMPT.get(r.prompt());
        assertThat(f).as(r.prompt()).isNotNull();
        assertThat(f.pretrainingPrompts()).contains(r.prompt());
        assertThat(r.subject()).isEqualTo(f.subject().name());
        assertThat(r.groundTruth()).isEqualTo(f.object().name());
        assertThat(r.rephrasePrompt()).isEqualTo(f.heldOutPrompt());
        Entity target = ENTITY.get(r.targetNew());
        assertThat(target).as(r.targetNew()).isNotNull();
        assertThat(target.type()).isEqualTo(f.object().type());
        assertThat(r.targetNew()).isNotEqualTo(r.groundTruth()).isEqualTo(r.targetNew().strip());
      }
    }
  }

  @Test
  void localityFactsAreRealAndShareNoEntityWithTheEdit() {
    for (Split s : Split.values()) {
      for (CounterFactRecord r : DATA.records(s)) {
        Fact loc = FACT_OF_PROMPT.get(r.localityPrompt());
        assertThat(loc.pretrainingPrompts()).contains(r.localityPrompt());
        assertThat(r.localityGroundTruth()).isEqualTo(loc.object().name());
        Set<String> edited = Set.of(r.subject(), r.groundTruth(), r.targetNew());
        assertThat(edited).doesNotContain(loc.subject().name(), loc.object().name());
      }
    }
  }

  @Test
  void editsOfOneFactHaveDistinctTargetsAndPrompts() {
    Map<String, Set<String>> targets = new HashMap<>();
    Map<String, Set<String>> prompts = new HashMap<>();
    for (CounterFactRecord r : DATA.records(Split.TRAIN)) {
      String fact = FACT_OF_PROMPT.get(r.prompt()).toString();
      assertThat(targets.computeIfAbsent(fact, k -> new HashSet<>()).add(r.targetNew())).isTrue();
      assertThat(prompts.computeIfAbsent(fact, k -> new HashSet<>()).add(r.prompt())).isTrue();
    }
    assertThat(targets.values()).allSatisfy(t -> assertThat(t).hasSize(3));
  }
}
