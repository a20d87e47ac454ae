package org.mend4j.agent.binding;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mend4j.runtime.gpt2.Gpt2Names;

/**
 * An explicit override of fingerprint binding: HF parameter name to host layer path (see {@link
 * BlockTree}). A mapped parameter binds to the layer at that path whatever its fingerprint (the
 * shape must still agree), e.g. for a host whose weights were converted from F16 and so hash
 * differently.
 *
 * <p>Written as a properties file ({@code map=FILE}) or inline ({@code map=hf=host;hf=host}):
 *
 * <pre>
 * # exact
 * transformer.h.3.mlp.c_fc.weight = h3.mlp.c_fc
 * # '*' matches one name segment (no dots); the value's '*'s take the captures in order
 * transformer.h.*.mlp.*.weight = h*.mlp.*
 * </pre>
 *
 * Names may be written with or without the {@code transformer.} prefix. Exact entries win over
 * patterns; among patterns the longest wins.
 */
public final class NameMapping {

  /** No mapping: every parameter binds by fingerprint. */
  public static final NameMapping NONE = new NameMapping(List.of());

  private record Rule(String key, Pattern pattern, String template, boolean exact) {}

  private final List<Rule> rules;

  private NameMapping(List<Rule> rules) {
    this.rules = rules;
  }

  /**
   * Parses the {@code map} setting: inline entries if it contains {@code =}, else a file path.
   *
   * @throws IllegalArgumentException naming the file or entry if it cannot be used
   */
  public static NameMapping parse(String setting) {
    if (setting.contains("=")) {
      Map<String, String> entries = new LinkedHashMap<>();
      for (String item : setting.split(";")) {
        if (item.isBlank()) {
          continue;
        }
        int eq = item.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("name mapping entry '" + item + "' is not hf=host");
        }
        entries.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
      }
      return of(entries);
    }
    Properties p = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(setting), StandardCharsets.UTF_8)) {
      p.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read name mapping file " + setting + ": " + e, e);
    }
    Map<String, String> entries = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> entries.put(k.trim(), p.getProperty(k).trim()));
    return of(entries);
  }

  /** A mapping from entries {@code hfNameOrPattern -> hostPathOrTemplate}. */
  public static NameMapping of(Map<String, String> entries) {
    List<Rule> rules = new ArrayList<>();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String key = Gpt2Names.canonical(e.getKey());
      int stars = count(key);
      if (count(e.getValue()) > stars) {
        throw new IllegalArgumentException(
            "name mapping '"
                + e.getKey()
                + " = "
                + e.getValue()
                + "': the host path has more '*'"
                + " than the parameter name");
      }
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("name mapping '" + e.getKey() + "' has no host path");
      }
      StringBuilder regex = new StringBuilder();
      for (String part : key.split("\\*", -1)) {
        regex.append(regex.length() == 0 ? "" : "([^.]+)").append(Pattern.quote(part));
      }
      rules.add(new Rule(key, Pattern.compile(regex.toString()), e.getValue(), stars == 0));
    }
    rules.sort(
        Comparator.comparing((Rule r) -> !r.exact())
            .thenComparing(r -> -r.key().length())
            .thenComparing(Rule::key));
    return new NameMapping(List.copyOf(rules));
  }

  private static int count(String s) {
    return (int) s.chars().filter(c -> c == '*').count();
  }

  /** The host path the parameter is mapped to, if any rule matches it. */
  public Optional<String> hostPath(String hfName) {
    String name = Gpt2Names.canonical(hfName);
    for (Rule rule : rules) {
      Matcher m = rule.pattern().matcher(name);
      if (m.matches()) {
        String path = rule.template();
        for (int g = 1; g <= m.groupCount(); g++) {
          path = path.replaceFirst(Pattern.quote("*"), Matcher.quoteReplacement(m.group(g)));
        }
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  /** True if there are no rules. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Number of rules. */
  public int size() {
    return rules.size();
  }
}
