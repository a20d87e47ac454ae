package org.mend4j.runtime.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The knowledge world: entities of each {@link EntityType} and the facts between them, generated
 * deterministically from a seed by {@link #generate(long)}.
 *
 * <p>Facts are ordered by subject (countries, cities, people, companies, each in entity order),
 * then by relation. The pretraining corpus ({@link #corpus()}) states every fact once in each of
 * its pretraining templates, fact by fact, in template order; a trainer shuffles it with its own
 * seed. The sentence form is {@code prompt + " " + object + "."}, e.g. {@code "The capital of
 * Zarnovia is Velmora."}, so the object is always the single token {@code " Velmora"} right after
 * the prompt, exactly as {@code world-eval} and EasyEdit ({@code prompt + " " + target}) query it.
 */
public final class World {

  /** The seed of the committed world ({@code data/world/}, {@code models/world-gpt2/}). */
  public static final long DEFAULT_SEED = 3L;

  /**
   * How many entities of each type the world has.
   *
   * @param occupations how many of the built-in occupation words are used (at most 30)
   */
  public record Sizes(
      int countries,
      int cities,
      int people,
      int companies,
      int languages,
      int currencies,
      int occupations) {

    /** The committed world: 1,260 facts, about what a small GPT-2 memorises in minutes on a CPU. */
    public static final Sizes DEFAULT = new Sizes(60, 120, 200, 80, 24, 24, 30);

    public Sizes {
      if (countries < 1 || cities < countries || people < companies || companies < 1) {
        throw new IllegalArgumentException(
            "need cities >= countries >= 1 and people >= companies >= 1: " + this);
      }
      if (languages < 2 || currencies < 2 || occupations < 2) {
        throw new IllegalArgumentException("need at least 2 languages, currencies, occupations");
      }
    }
  }

  private final long seed;
  private final Map<EntityType, List<Entity>> entities;
  private final List<Fact> facts;
  private final Map<Entity, List<Fact>> bySubject;

  World(long seed, Map<EntityType, List<Entity>> entities, List<Fact> facts) {
    this.seed = seed;
    Map<EntityType, List<Entity>> copy = new EnumMap<>(EntityType.class);
    for (EntityType t : EntityType.values()) {
      copy.put(t, List.copyOf(entities.getOrDefault(t, List.of())));
    }
    this.entities = Collections.unmodifiableMap(copy);
    this.facts = List.copyOf(facts);
    Map<Entity, List<Fact>> index = new LinkedHashMap<>();
    for (Fact f : facts) {
      index.computeIfAbsent(f.subject(), s -> new ArrayList<>()).add(f);
    }
    this.bySubject = index;
  }

  /** The world of {@code seed} with the {@link Sizes#DEFAULT} sizes. */
  public static World generate(long seed) {
    return generate(seed, Sizes.DEFAULT);
  }

  /** The world of {@code seed}: same seed and sizes, same world, on any JVM. */
  public static World generate(long seed, Sizes sizes) {
    return new WorldGenerator(seed, sizes).generate();
  }

  public long seed() {
    return seed;
  }

  /** Entities of one type, in generation order. */
  public List<Entity> entities(EntityType type) {
    return entities.get(type);
  }

  /** All entities, by type then generation order. */
  public List<Entity> entities() {
    List<Entity> all = new ArrayList<>();
    entities.values().forEach(all::addAll);
    return all;
  }

  /** All facts, by subject then relation. */
  public List<Fact> facts() {
    return facts;
  }

  /** The facts whose subject is {@code subject}, by relation. */
  public List<Fact> factsAbout(Entity subject) {
    return bySubject.getOrDefault(subject, List.of());
  }

  /** The fact {@code relation(subject)}. */
  public Fact fact(Entity subject, Relation relation) {
    Objects.requireNonNull(relation, "relation");
    return factsAbout(subject).stream()
        .filter(f -> f.relation() == relation)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + relation.id() + " of " + subject));
  }

  /** The pretraining sentences: each fact in each of its pretraining templates. */
  public List<CorpusSentence> corpus() {
    List<CorpusSentence> out = new ArrayList<>();
    for (Fact f : facts) {
      for (int t : f.pretrainingTemplates()) {
        out.add(new CorpusSentence(f, t, f.prompt(t), f.sentence(t)));
      }
    }
    return out;
  }

  /** The text of {@link #corpus()}. */
  public List<String> corpusText() {
    return corpus().stream().map(CorpusSentence::text).toList();
  }

  /**
   * Words that must each be one token: every entity name with its leading space ({@code "
   * Velmora"}, {@code " painter"}), the way subjects and objects appear in every prompt.
   */
  public List<String> tokenWords() {
    return entities().stream().map(e -> " " + e.name()).toList();
  }

  /**
   * The held-out template of the subject with index {@code subjectIndex} (within its type) for
   * {@code relation}: {@code (subjectIndex + relation.ordinal()) mod templates}. Consecutive
   * subjects hold out different templates, so each template is held out for one subject in five and
   * read in pretraining for the others; the relation offset makes the relations of one subject hold
   * out different template positions.
   */
  static int heldOutTemplate(int subjectIndex, Relation relation) {
    return (subjectIndex + relation.ordinal()) % relation.templates().size();
  }
}
