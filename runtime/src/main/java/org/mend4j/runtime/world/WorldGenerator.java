package org.mend4j.runtime.world;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Builds a {@link World} from a seed. All randomness comes from {@link SplittableRandom} streams
 * split off the seed in a fixed order, and all iteration is over lists, so the result does not
 * depend on hash order or the JVM.
 *
 * <p>Structure: every country has at least one city and its capital is one of its own cities; a
 * company's founder works for that company; every language and currency is used by some country;
 * everything else (birthplaces, occupations, employers, native languages, headquarters) is drawn
 * uniformly, so no fact can be inferred from another and each must be memorised.
 */
final class WorldGenerator {

  /** Occupations are real words, all starting with a consonant so that "works as a" fits. */
  static final List<String> OCCUPATIONS =
      List.of(
          "painter",
          "baker",
          "weaver",
          "potter",
          "sculptor",
          "carpenter",
          "tailor",
          "farmer",
          "fisherman",
          "miner",
          "sailor",
          "doctor",
          "nurse",
          "lawyer",
          "teacher",
          "banker",
          "chemist",
          "pilot",
          "poet",
          "singer",
          "dancer",
          "cook",
          "judge",
          "merchant",
          "surgeon",
          "mason",
          "jeweler",
          "butcher",
          "brewer",
          "gardener");

  private final long seed;
  private final World.Sizes sizes;
  private final SplittableRandom names;
  private final SplittableRandom draws;

  WorldGenerator(long seed, World.Sizes sizes) {
    if (sizes.occupations() > OCCUPATIONS.size()) {
      throw new IllegalArgumentException("at most " + OCCUPATIONS.size() + " occupations");
    }
    this.seed = seed;
    this.sizes = sizes;
    SplittableRandom root = new SplittableRandom(seed);
    this.names = root.split();
    this.draws = root.split();
  }

  World generate() {
    Map<EntityType, List<Entity>> e = new EnumMap<>(EntityType.class);
    NameGenerator gen = new NameGenerator(names, templateWords());
    e.put(EntityType.COUNTRY, invent(gen, EntityType.COUNTRY, sizes.countries()));
    e.put(EntityType.CITY, invent(gen, EntityType.CITY, sizes.cities()));
    e.put(EntityType.PERSON, invent(gen, EntityType.PERSON, sizes.people()));
    e.put(EntityType.COMPANY, invent(gen, EntityType.COMPANY, sizes.companies()));
    e.put(EntityType.LANGUAGE, invent(gen, EntityType.LANGUAGE, sizes.languages()));
    e.put(EntityType.CURRENCY, invent(gen, EntityType.CURRENCY, sizes.currencies()));
    List<Entity> jobs = new ArrayList<>();
    for (String o : OCCUPATIONS.subList(0, sizes.occupations())) {
      jobs.add(new Entity(o, EntityType.OCCUPATION));
    }
    e.put(EntityType.OCCUPATION, jobs);

    Map<Relation, Map<Entity, Entity>> objects = new EnumMap<>(Relation.class);
    for (Relation r : Relation.values()) {
      objects.put(r, new HashMap<>());
    }
    drawGeography(e, objects);
    drawPeopleAndCompanies(e, objects);
    return new World(seed, e, facts(e, objects));
  }

  private void drawGeography(
      Map<EntityType, List<Entity>> e, Map<Relation, Map<Entity, Entity>> o) {
    List<Entity> countries = e.get(EntityType.COUNTRY);
    List<Entity> cities = e.get(EntityType.CITY);
    List<Entity> shuffledCities = shuffled(cities);
    for (int i = 0; i < shuffledCities.size(); i++) {
      Entity country =
          i < countries.size() ? countries.get(i) : countries.get(draws.nextInt(countries.size()));
      o.get(Relation.LOCATED_IN).put(shuffledCities.get(i), country);
      if (i < countries.size()) {
        o.get(Relation.CAPITAL).put(country, shuffledCities.get(i));
      }
    }
    coverAll(countries, e.get(EntityType.LANGUAGE), o.get(Relation.COUNTRY_LANGUAGE));
    coverAll(countries, e.get(EntityType.CURRENCY), o.get(Relation.CURRENCY));
  }

  private void drawPeopleAndCompanies(
      Map<EntityType, List<Entity>> e, Map<Relation, Map<Entity, Entity>> o) {
    List<Entity> people = e.get(EntityType.PERSON);
    List<Entity> companies = e.get(EntityType.COMPANY);
    for (Entity p : people) {
      o.get(Relation.BIRTHPLACE).put(p, pick(e.get(EntityType.CITY)));
      o.get(Relation.OCCUPATION).put(p, pick(e.get(EntityType.OCCUPATION)));
      o.get(Relation.EMPLOYER).put(p, pick(companies));
      o.get(Relation.NATIVE_LANGUAGE).put(p, pick(e.get(EntityType.LANGUAGE)));
    }
    List<Entity> founders = shuffled(people);
    for (int i = 0; i < companies.size(); i++) {
      Entity c = companies.get(i);
      o.get(Relation.FOUNDER).put(c, founders.get(i));
      o.get(Relation.EMPLOYER).put(founders.get(i), c);
      o.get(Relation.HEADQUARTERS).put(c, pick(e.get(EntityType.CITY)));
    }
  }

  private static List<Fact> facts(
      Map<EntityType, List<Entity>> e, Map<Relation, Map<Entity, Entity>> objects) {
    List<Fact> facts = new ArrayList<>();
    for (EntityType type : EntityType.values()) {
      List<Entity> subjects = e.get(type);
      for (int i = 0; i < subjects.size(); i++) {
        for (Relation r : Relation.values()) {
          if (r.subjectType() == type) {
            Entity object = objects.get(r).get(subjects.get(i));
            facts.add(new Fact(subjects.get(i), r, object, World.heldOutTemplate(i, r)));
          }
        }
      }
    }
    return facts;
  }

  /** Assigns each subject an object so that every object is used once before any repeats. */
  private void coverAll(List<Entity> subjects, List<Entity> objects, Map<Entity, Entity> out) {
    List<Entity> order = shuffled(subjects);
    for (int i = 0; i < order.size(); i++) {
      out.put(order.get(i), i < objects.size() ? objects.get(i) : pick(objects));
    }
  }

  private Entity pick(List<Entity> from) {
    return from.get(draws.nextInt(from.size()));
  }

  private List<Entity> shuffled(List<Entity> list) {
    return shuffled(list, draws);
  }

  /** A Fisher-Yates shuffled copy of {@code list}. */
  static <T> List<T> shuffled(List<T> list, SplittableRandom rng) {
    List<T> copy = new ArrayList<>(list);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T t = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, t);
    }
    return copy;
  }

  private static List<Entity> invent(NameGenerator gen, EntityType type, int n) {
    List<Entity> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Entity(gen.next(type), type));
    }
    return out;
  }

  /** Every word of every template and every occupation, lower case: never an invented name. */
  static Set<String> templateWords() {
    Set<String> words = new TreeSet<>(OCCUPATIONS);
    for (Relation r : Relation.values()) {
      for (String t : r.templates()) {
        for (String w : t.replace(Relation.SUBJECT, " ").split("[^\\p{L}]+")) {
          if (!w.isEmpty()) {
            words.add(w.toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return words;
  }
}
