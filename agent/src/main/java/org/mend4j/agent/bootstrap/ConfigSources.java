package org.mend4j.agent.bootstrap;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where configuration values come from, in this order of precedence: an agent argument ({@code
 * -javaagent:mend4j-agent.jar=key=value,key=value}), a system property {@code mend4j.KEY}, an
 * environment variable {@code MEND4J_KEY} (upper case, dots as underscores), or an entry of the
 * properties file named by {@link SettingKeys#CONFIG}. At each level a key wins over its aliases.
 * Only {@link Setting} reads values here, each by its declared name; everything else takes {@link
 * AgentSettings}.
 *
 * <p>Reading never throws: malformed arguments, an unreadable file and bad values are collected as
 * {@link #warnings()}, so that a typo cannot stop the host from starting.
 */
final class ConfigSources {

  private static final int LEVELS = 4;

  private final Map<String, String> args;
  private final Map<String, String> properties;
  private final Map<String, String> env;
  private final Map<String, String> file;
  private final List<String> warnings;

  private ConfigSources(
      Map<String, String> args,
      Map<String, String> properties,
      Map<String, String> env,
      Map<String, String> file,
      List<String> warnings) {
    this.args = args;
    this.properties = properties;
    this.env = env;
    this.file = file;
    this.warnings = warnings;
  }

  /**
   * The sources, the properties file among them if one is named.
   *
   * @param agentArgs the {@code key=value,key=value} string after {@code -javaagent:jar=}, or null
   * @param systemProperties system properties (only {@code mend4j.KEY} ones are looked at)
   * @param environment environment variables ({@code MEND4J_KEY})
   */
  static ConfigSources of(
      String agentArgs, Map<String, String> systemProperties, Map<String, String> environment) {
    List<String> warnings = new ArrayList<>();
    Map<String, String> args = parseArgs(agentArgs, warnings);
    ConfigSources sources =
        new ConfigSources(
            args, Map.copyOf(systemProperties), Map.copyOf(environment), Map.of(), warnings);
    Optional<String> configFile = sources.get(SettingKeys.CONFIG.name(), List.of());
    return configFile.isEmpty()
        ? sources
        : new ConfigSources(
            args, sources.properties, sources.env, readFile(configFile.get(), warnings), warnings);
  }

  /** This JVM's {@code mend4j.*} system properties. */
  static Map<String, String> systemProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("mend4j."))
        .forEach(k -> props.put(k, System.getProperty(k)));
    return props;
  }

  private static Map<String, String> parseArgs(String agentArgs, List<String> warnings) {
    Map<String, String> args = new LinkedHashMap<>();
    if (agentArgs == null || agentArgs.isBlank()) {
      return args;
    }
    for (String part : agentArgs.split(",")) {
      String item = part.trim();
      int eq = item.indexOf('=');
      if (item.isEmpty()) {
        continue;
      }
      if (eq <= 0) {
        warnings.add("ignored agent argument '" + item + "' (expected key=value)");
        continue;
      }
      args.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
    }
    return args;
  }

  private static Map<String, String> readFile(String path, List<String> warnings) {
    Properties p = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
      p.load(reader);
    } catch (IOException | RuntimeException e) {
      warnings.add("cannot read config file " + path + ": " + e.getMessage());
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k).trim()));
    return map;
  }

  /** The value of {@code key} (or an alias) from the highest-precedence source that sets it. */
  Optional<String> get(String key, List<String> aliases) {
    List<String> names = new ArrayList<>();
    names.add(key);
    names.addAll(aliases);
    for (int level = 0; level < LEVELS; level++) {
      for (String name : names) {
        String value = lookup(level, name);
        if (value != null && !value.isBlank()) {
          return Optional.of(value.trim());
        }
      }
    }
    return Optional.empty();
  }

  private String lookup(int level, String name) {
    return switch (level) {
      case 0 -> args.get(name);
      case 1 -> properties.get("mend4j." + name);
      case 2 -> env.get("MEND4J_" + name.toUpperCase(Locale.ROOT).replace('.', '_'));
      default -> file.get(name);
    };
  }

  /** An environment variable only (for secrets, which no other source may carry). */
  Optional<String> environment(String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Records a problem for the agent to log once it runs. */
  void warn(String warning) {
    warnings.add(warning);
  }

  /** Problems found while reading. */
  List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }
}
