package org.mend4j.runtime.world;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.mend4j.runtime.data.CounterFactRecord;

/**
 * The world's edit datasets in EasyEdit's CounterFact format, split by subject.
 *
 * <p>Subjects of each type are shuffled and cut into test (20%), val (10%) and train (70%), so no
 * test subject is the subject of a train or val record (nor of a locality prompt there). Each fact
 * gives several edits ({@link #editsPerFact}) with distinct new targets of the object's type and
 * distinct pretraining prompts; every edit of a fact has the fact's held-out prompt as {@code
 * rephrase_prompt}, and a locality fact drawn from the same split that shares no entity with the
 * edit (its subject and object are neither the edited subject, its true object nor its new target).
 * Records are shuffled and numbered from 0 in each file.
 */
public final class EditDatasets {

  /** The three splits. */
  public enum Split {
    TRAIN,
    VAL,
    TEST;

    /** The name used in file names and {@code facts.json}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final double TEST_FRACTION = 0.2;
  private static final double VAL_FRACTION = 0.1;
  private static final Set<EntityType> SUBJECT_TYPES =
      Set.of(EntityType.COUNTRY, EntityType.CITY, EntityType.PERSON, EntityType.COMPANY);

  private final Map<Entity, Split> splitOf;
  private final Map<Split, List<CounterFactRecord>> records;

  private EditDatasets(Map<Entity, Split> splitOf, Map<Split, List<CounterFactRecord>> records) {
    this.splitOf = splitOf;
    this.records = records;
  }

  /** Edits made from each fact in a split: 3 in train and test, 2 in val. */
  public static int editsPerFact(Split split) {
    return split == Split.VAL ? 2 : 3;
  }

  /** Builds the datasets of a world; deterministic in the world's seed. */
  public static EditDatasets build(World world) {
    SplittableRandom rng = new SplittableRandom(world.seed() * 0x9E3779B97F4A7C15L + 0x3C6EF372L);
    Map<Entity, Split> splitOf = new HashMap<>();
    for (EntityType type : EntityType.values()) {
      if (!SUBJECT_TYPES.contains(type)) {
        continue;
      }
      List<Entity> subjects = shuffled(world.entities(type), rng);
      int test = (int) Math.round(subjects.size() * TEST_FRACTION);
      int val = (int) Math.round(subjects.size() * VAL_FRACTION);
      for (int i = 0; i < subjects.size(); i++) {
        splitOf.put(
            subjects.get(i), i < test ? Split.TEST : i < test + val ? Split.VAL : Split.TRAIN);
      }
    }
    Map<Split, List<CounterFactRecord>> records = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      List<Fact> facts =
          world.facts().stream().filter(f -> splitOf.get(f.subject()) == split).toList();
      records.put(split, edits(world, facts, editsPerFact(split), rng));
    }
    return new EditDatasets(splitOf, records);
  }

  /** The split a subject belongs to. */
  public Split splitOf(Entity subject) {
    Split s = splitOf.get(subject);
    if (s == null) {
      throw new IllegalArgumentException(subject + " is not the subject of any fact");
    }
    return s;
  }

  /** The records of one split, numbered from 0. */
  public List<CounterFactRecord> records(Split split) {
    return records.get(split);
  }

  private static List<CounterFactRecord> edits(
      World world, List<Fact> facts, int perFact, SplittableRandom rng) {
    List<CounterFactRecord> out = new ArrayList<>();
    for (int i = 0; i < facts.size(); i++) {
      Fact f = facts.get(i);
      List<Entity> candidates = new ArrayList<>(world.entities(f.object().type()));
      candidates.remove(f.object());
      List<Entity> targets = shuffled(candidates, rng).subList(0, perFact);
      List<Integer> templates = f.pretrainingTemplates();
      for (int j = 0; j < perFact; j++) {
        Entity target = targets.get(j);
        Fact loc = localityFact(facts, f, target, rng);
        List<Integer> locTemplates = loc.pretrainingTemplates();
        out.add(
            new CounterFactRecord(
                0,
                f.prompt(templates.get((i + j) % templates.size())),
                target.name(),
                f.subject().name(),
                f.object().name(),
                f.heldOutPrompt(),
                loc.prompt(locTemplates.get(rng.nextInt(locTemplates.size()))),
                loc.object().name()));
      }
    }
    List<CounterFactRecord> shuffled = shuffled(out, rng);
    List<CounterFactRecord> numbered = new ArrayList<>(shuffled.size());
    for (int id = 0; id < shuffled.size(); id++) {
      CounterFactRecord r = shuffled.get(id);
      numbered.add(
          new CounterFactRecord(
              id,
              r.prompt(),
              r.targetNew(),
              r.subject(),
              r.groundTruth(),
              r.rephrasePrompt(),
              r.localityPrompt(),
              r.localityGroundTruth()));
    }
    return List.copyOf(numbered);
  }

  /** A random fact of the split that shares no entity with the edit {@code f -> target}. */
  private static Fact localityFact(List<Fact> facts, Fact f, Entity target, SplittableRandom rng) {
    Set<Entity> edited = Set.of(f.subject(), f.object(), target);
    for (int attempt = 0; attempt < 1000; attempt++) {
      Fact g = facts.get(rng.nextInt(facts.size()));
      if (!edited.contains(g.subject()) && !edited.contains(g.object())) {
        return g;
      }
    }
    throw new IllegalStateException("no unrelated locality fact for " + f);
  }

  private static <T> List<T> shuffled(List<T> list, SplittableRandom rng) {
    return WorldGenerator.shuffled(list, rng);
  }
}
