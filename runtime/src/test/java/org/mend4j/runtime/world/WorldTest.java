package org.mend4j.runtime.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorldTest {

  private static final World WORLD = World.generate(World.DEFAULT_SEED);

  @Test
  void sameSeedGivesTheSameWorld() {
    World again = World.generate(World.DEFAULT_SEED);
    assertThat(again.entities()).isEqualTo(WORLD.entities());
    assertThat(again.facts()).isEqualTo(WORLD.facts());
    assertThat(again.corpusText()).isEqualTo(WORLD.corpusText());
  }

  @Test
  void differentSeedGivesADifferentWorld() {
    World other = World.generate(World.DEFAULT_SEED + 1);
    assertThat(other.facts()).isNotEqualTo(WORLD.facts());
    assertThat(other.entities(EntityType.PERSON)).isNotEqualTo(WORLD.entities(EntityType.PERSON));
    assertThat(other.facts()).hasSameSizeAs(WORLD.facts());
  }

  @Test
  void hasTheDefaultSizes() {
    World.Sizes s = World.Sizes.DEFAULT;
    assertThat(WORLD.entities(EntityType.COUNTRY)).hasSize(s.countries());
    assertThat(WORLD.entities(EntityType.CITY)).hasSize(s.cities());
    assertThat(WORLD.entities(EntityType.PERSON)).hasSize(s.people());
    assertThat(WORLD.entities(EntityType.COMPANY)).hasSize(s.companies());
    assertThat(WORLD.entities(EntityType.LANGUAGE)).hasSize(s.languages());
    assertThat(WORLD.entities(EntityType.CURRENCY)).hasSize(s.currencies());
    assertThat(WORLD.entities(EntityType.OCCUPATION)).hasSize(s.occupations());
    // one fact per (subject, relation of the subject's type)
    assertThat(WORLD.facts()).hasSize(60 * 3 + 120 + 200 * 4 + 80 * 2).hasSize(1260);
    assertThat(WORLD.corpus()).hasSize(1260 * 4);
  }

  @Test
  void namesAreUniqueOneWordAndInventedForEverySeed() {
    Set<String> templateWords = WorldGenerator.templateWords();
    for (long seed = 0; seed < 5; seed++) {
      World w = World.generate(seed);
      Set<String> seen = new HashSet<>();
      for (Entity e : w.entities()) {
        String lower = e.name().toLowerCase(Locale.ROOT);
        assertThat(seen.add(lower)).as("duplicate name %s", e).isTrue();
        if (e.type() == EntityType.OCCUPATION) {
          assertThat(e.name()).matches("[a-z]+");
          continue;
        }
        assertThat(e.name()).as("seed %d", seed).matches("[A-Z][a-z]{3,}");
        assertThat(templateWords)
            .as("seed %d: %s is a template word", seed, e)
            .doesNotContain(lower);
        assertThat(NameGenerator.isKnownRealName(lower)).as("%s is a real word", e).isFalse();
      }
    }
  }

  @Test
  void templatesNameTheSubjectOnceAfterASpaceAndAreDistinctPerSubjectType() {
    Map<String, Relation> seen = new HashMap<>();
    for (Relation r : Relation.values()) {
      assertThat(r.templates()).hasSizeGreaterThanOrEqualTo(4);
      for (String t : r.templates()) {
        assertThat(t.split("\\{s\\}", -1)).as(t).hasSize(2);
        assertThat(t).as(t).doesNotStartWith("{s}").contains(" {s}").doesNotEndWith(" ");
        Relation clash = seen.put(r.subjectType() + "|" + t, r);
        assertThat(clash).as("template '%s' of %s also in %s", t, r, clash).isNull();
      }
    }
  }

  @Test
  void everyFactHoldsOutExactlyOneTemplateAndIsNeverPretrainedWithIt() {
    Map<Fact, Integer> sentences = new HashMap<>();
    Set<String> corpus = new HashSet<>(WORLD.corpusText());
    for (CorpusSentence s : WORLD.corpus()) {
      assertThat(s.template()).isNotEqualTo(s.fact().heldOutTemplate());
      assertThat(s.text()).isEqualTo(s.prompt() + " " + s.fact().object().name() + ".");
      sentences.merge(s.fact(), 1, Integer::sum);
    }
    for (Fact f : WORLD.facts()) {
      int n = f.relation().templates().size();
      assertThat(f.pretrainingTemplates()).hasSize(n - 1).doesNotContain(f.heldOutTemplate());
      assertThat(f.pretrainingPrompts()).doesNotContain(f.heldOutPrompt());
      assertThat(sentences.get(f)).isEqualTo(n - 1);
      assertThat(corpus).doesNotContain(f.sentence(f.heldOutTemplate()));
    }
  }

  @Test
  void eachTemplateIsHeldOutForSomeSubjectsAndPretrainedForMost() {
    for (Relation r : Relation.values()) {
      List<Fact> facts = WORLD.facts().stream().filter(f -> f.relation() == r).toList();
      for (int t = 0; t < r.templates().size(); t++) {
        int template = t;
        long heldOut = facts.stream().filter(f -> f.heldOutTemplate() == template).count();
        assertThat(heldOut).as("%s template %d", r, t).isPositive();
        assertThat(facts.size() - heldOut)
            .as("%s template %d", r, t)
            .isGreaterThan(facts.size() * 3 / 4);
      }
    }
  }

  @Test
  void aSubjectsRelationsHoldOutDifferentTemplatePositions() {
    for (Entity subject : WORLD.entities(EntityType.PERSON)) {
      assertThat(WORLD.factsAbout(subject).stream().map(Fact::heldOutTemplate).distinct())
          .hasSize(4);
    }
  }

  @Test
  void structureIsConsistent() {
    for (Entity country : WORLD.entities(EntityType.COUNTRY)) {
      Entity capital = WORLD.fact(country, Relation.CAPITAL).object();
      assertThat(WORLD.fact(capital, Relation.LOCATED_IN).object()).isEqualTo(country);
    }
    for (Entity company : WORLD.entities(EntityType.COMPANY)) {
      Entity founder = WORLD.fact(company, Relation.FOUNDER).object();
      assertThat(WORLD.fact(founder, Relation.EMPLOYER).object()).isEqualTo(company);
    }
    Set<Entity> languages = new HashSet<>();
    Set<Entity> currencies = new HashSet<>();
    for (Entity country : WORLD.entities(EntityType.COUNTRY)) {
      languages.add(WORLD.fact(country, Relation.COUNTRY_LANGUAGE).object());
      currencies.add(WORLD.fact(country, Relation.CURRENCY).object());
    }
    assertThat(languages).containsExactlyInAnyOrderElementsOf(WORLD.entities(EntityType.LANGUAGE));
    assertThat(currencies).containsExactlyInAnyOrderElementsOf(WORLD.entities(EntityType.CURRENCY));
  }

  @Test
  void everyPromptNamesOneFact() {
    Set<String> prompts = new HashSet<>();
    for (Fact f : WORLD.facts()) {
      for (int t = 0; t < f.relation().templates().size(); t++) {
        assertThat(prompts.add(f.prompt(t))).as(f.prompt(t)).isTrue();
      }
    }
  }
}
