package org.mend4j.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReadmeKeyTableTest {

  /**
   * Every configuration key the agent reads is documented in its README's key table, and the table
   * names no key the agent does not read (aliases and the environment-only password aside).
   */
  @Test
  void theReadmeKeyTableListsEveryKeyAndNoOther() throws Exception {
    Set<String> keys = new TreeSet<>();
    SettingKeys.ALL.forEach(s -> keys.add(s.name()));
    String readme = Files.readString(Path.of("README.md"));
    String table =
        readme.substring(
            readme.indexOf("## Configuration"), readme.indexOf("## ", readme.indexOf("| key |")));
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(table);
    while (row.find()) {
      Matcher key = Pattern.compile("`([a-z][a-z.]*)`").matcher(row.group(1));
      while (key.find()) {
        documented.add(key.group(1));
      }
    }
    documented.remove("edits.dir"); // the alias of edits, in that row
    assertThat(keys).hasSizeGreaterThan(20);
    assertThat(documented).isEqualTo(keys);
  }
}
