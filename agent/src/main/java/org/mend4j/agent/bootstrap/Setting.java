package org.mend4j.agent.bootstrap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The declaration of one configuration key: its name (and aliases), how a value is parsed and which
 * values are allowed, its default and a one-line description. {@link SettingKeys} declares every
 * key once with the factories below; {@link #read} is the only way the agent reads a value, so a
 * bad one is reported the same way for every key: a warning naming the key and the value, and the
 * default used.
 *
 * @param name the key, as an agent argument or after {@code mend4j.} as a system property
 * @param aliases further names accepted at each level, after the key itself
 * @param parser a value from its text, or null (or an {@link IllegalArgumentException}) if the text
 *     is not allowed
 * @param expected what an allowed value is, for the warning ("a positive number")
 * @param fallback the default, computed when needed; it may give null (then the key has none)
 * @param defaultText the default as the README documents it ({@code none} when there is none)
 * @param description one line saying what the key does
 * @param <T> the value's type
 */
public record Setting<T>(
    String name,
    List<String> aliases,
    Function<String, T> parser,
    String expected,
    Supplier<T> fallback,
    String defaultText,
    String description) {

  /** The default text of a key without a default. */
  public static final String NO_DEFAULT = "none";

  /** Copies the aliases. */
  public Setting {
    aliases = List.copyOf(aliases);
  }

  /** {@code true} or {@code false}, in any case. */
  static Setting<Boolean> flag(String name, boolean fallback, String description) {
    return new Setting<>(
        name,
        List.of(),
        v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? Boolean.valueOf(v) : null,
        "true or false",
        () -> fallback,
        String.valueOf(fallback),
        description);
  }

  /** A whole number in {@code min..max}. */
  static Setting<Long> number(String name, long fallback, long min, long max, String description) {
    return new Setting<>(
        name,
        List.of(),
        v -> parseIn(v, min, max),
        range(min, max),
        () -> fallback,
        String.valueOf(fallback),
        description);
  }

  /**
   * A whole number in {@code min..max} that fits an {@code int}; no default if {@code fallback} is
   * null.
   */
  static Setting<Integer> integer(
      String name, Integer fallback, int min, int max, String description) {
    return new Setting<>(
        name,
        List.of(),
        v -> {
          Long parsed = parseIn(v, min, max);
          return parsed == null ? null : parsed.intValue();
        },
        range(min, max),
        () -> fallback,
        fallback == null ? NO_DEFAULT : String.valueOf(fallback),
        description);
  }

  /** One of {@code choices}, exactly as written; the first is the default. */
  static Setting<String> choice(String name, List<String> choices, String description) {
    return new Setting<>(
        name,
        List.of(),
        v -> choices.contains(v) ? v : null,
        "one of " + String.join(", ", choices),
        () -> choices.get(0),
        choices.get(0),
        description);
  }

  /** Any text; no default. */
  static Setting<String> text(String name, String description) {
    return new Setting<>(name, List.of(), v -> v, "text", () -> null, NO_DEFAULT, description);
  }

  /** A file or directory; no default. */
  static Setting<Path> path(String name, String description) {
    return new Setting<>(name, List.of(), Path::of, "a path", () -> null, NO_DEFAULT, description);
  }

  /** Items separated by {@code ;}, trimmed, without empty ones; default none. */
  static Setting<List<String>> list(String name, String description) {
    return new Setting<>(
        name, List.of(), Setting::items, "a ;-separated list", List::of, NO_DEFAULT, description);
  }

  /** This key with a computed default, documented as {@code text}. */
  Setting<T> withDefault(Supplier<T> computed, String text) {
    return new Setting<>(name, aliases, parser, expected, computed, text, description);
  }

  /** This key, also accepted under {@code alias}. */
  Setting<T> withAlias(String alias) {
    List<String> more = new ArrayList<>(aliases);
    more.add(alias);
    return new Setting<>(name, more, parser, expected, fallback, defaultText, description);
  }

  /** This key's value from {@code sources}, or its default (with a warning if the value is bad). */
  T read(ConfigSources sources) {
    Optional<String> raw = sources.get(name, aliases);
    if (raw.isEmpty()) {
      return fallback.get();
    }
    String problem = "";
    try {
      T value = parser.apply(raw.get());
      if (value != null) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      problem = " (" + e.getMessage() + ")";
    }
    T value = fallback.get();
    sources.warn(
        name
            + "="
            + raw.get()
            + " is not "
            + expected
            + problem
            + (value == null ? "; ignored" : "; using " + defaultText));
    return value;
  }

  /** This key's value from {@code sources}, empty if it is unset (or bad) and has no default. */
  Optional<T> readOptional(ConfigSources sources) {
    return Optional.ofNullable(read(sources));
  }

  private static Long parseIn(String text, long min, long max) {
    try {
      long v = Long.parseLong(text);
      return v >= min && v <= max ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String range(long min, long max) {
    if (max == Long.MAX_VALUE && (min == 0 || min == 1)) {
      return min == 0 ? "a non-negative number" : "a positive number";
    }
    return "an integer in " + min + ".." + max;
  }

  private static List<String> items(String text) {
    List<String> items = new ArrayList<>();
    for (String s : text.split(";")) {
      if (!s.isBlank()) {
        items.add(s.trim());
      }
    }
    return List.copyOf(items);
  }
}
