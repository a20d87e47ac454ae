package org.mend4j.runtime.world;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Invents pronounceable one-word names: one or two consonant-vowel syllables and a suffix typical
 * of the entity type ({@code Zarnovia}-like countries, {@code -trix} companies, {@code -ish}-like
 * languages). Shared syllables and suffixes keep the tokenizer's vocabulary small; every name is
 * unique in the world and is none of the forbidden words (the templates' words, the occupations and
 * a list of real names that the syllables can spell).
 */
final class NameGenerator {

  private static final String[] ONSETS = {
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr",
    "tr", "th", "sh", "st", "vr", "zh"
  };
  private static final String[] VOWELS = {"a", "e", "i", "o", "u"};
  private static final Map<EntityType, String[]> SUFFIXES = new EnumMap<>(EntityType.class);

  static {
    SUFFIXES.put(EntityType.COUNTRY, new String[] {"ria", "nia", "via", "stan", "dor", "thia"});
    SUFFIXES.put(EntityType.CITY, new String[] {"mora", "vik", "holm", "dris", "bek", "zan"});
    SUFFIXES.put(EntityType.PERSON, new String[] {"rek", "lin", "vos", "dric", "vash", "nor"});
    SUFFIXES.put(EntityType.COMPANY, new String[] {"trix", "tek", "lux", "vex", "dyne", "rion"});
    SUFFIXES.put(EntityType.LANGUAGE, new String[] {"nish", "ric", "lese", "thi"});
    SUFFIXES.put(EntityType.CURRENCY, new String[] {"dal", "rux", "zet", "pek"});
  }

  /**
   * The 68 names these syllables and suffixes can spell that are English words or real names: every
   * possible name was checked against a 100,000-word English dictionary with proper nouns (Debian's
   * {@code wamerican}); these are never used.
   */
  private static final Set<String> REAL =
      Set.of(
          "banish",
          "bavaria",
          "begonia",
          "benelux",
          "beria",
          "bizet",
          "bolivia",
          "bravos",
          "bridal",
          "danish",
          "deliria",
          "derek",
          "dishonor",
          "donor",
          "doric",
          "dristan",
          "femora",
          "finish",
          "gastonia",
          "kazan",
          "kopek",
          "kronor",
          "labrador",
          "lanolin",
          "lemuria",
          "liberia",
          "livia",
          "livonia",
          "luria",
          "malaria",
          "mania",
          "manor",
          "maria",
          "marion",
          "matador",
          "matrix",
          "medal",
          "minor",
          "modal",
          "moravia",
          "nigeria",
          "nodal",
          "pakistan",
          "pedal",
          "petunia",
          "punish",
          "ritalin",
          "romania",
          "rumania",
          "segovia",
          "sharia",
          "siberia",
          "solaria",
          "sonia",
          "stalin",
          "sumeria",
          "tania",
          "tenor",
          "tidal",
          "titania",
          "tonia",
          "tristan",
          "trivia",
          "tudor",
          "valeria",
          "vanish",
          "vidal",
          "zamora");

  private final SplittableRandom rng;
  private final Set<String> taken = new HashSet<>();
  private final Set<String> forbidden;

  NameGenerator(SplittableRandom rng, Set<String> forbiddenWords) {
    this.rng = rng;
    this.forbidden = new HashSet<>(REAL);
    forbiddenWords.forEach(w -> forbidden.add(w.toLowerCase(Locale.ROOT)));
  }

  /** A new name for an entity of {@code type}, unique among the names this generator made. */
  String next(EntityType type) {
    String[] suffixes = SUFFIXES.get(type);
    if (suffixes == null) {
      throw new IllegalArgumentException("no invented names for " + type);
    }
    boolean short1 = type == EntityType.LANGUAGE || type == EntityType.CURRENCY;
    for (int attempt = 0; attempt < 10_000; attempt++) {
      StringBuilder sb = new StringBuilder();
      int syllables = short1 ? 1 : 1 + rng.nextInt(2);
      for (int s = 0; s < syllables; s++) {
        sb.append(ONSETS[rng.nextInt(ONSETS.length)]).append(VOWELS[rng.nextInt(VOWELS.length)]);
      }
      sb.append(suffixes[rng.nextInt(suffixes.length)]);
      String lower = sb.toString();
      if (forbidden.contains(lower) || !taken.add(lower)) {
        continue;
      }
      return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
    throw new IllegalStateException("ran out of names for " + type);
  }

  /** Whether a (lower-case) word is one this generator never uses. */
  static boolean isKnownRealName(String word) {
    return REAL.contains(word.toLowerCase(Locale.ROOT));
  }
}
