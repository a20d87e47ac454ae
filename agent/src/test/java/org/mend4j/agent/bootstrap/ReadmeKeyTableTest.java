package org.mend4j.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent README's key table is the users' reference for configuration: it must list exactly the
 * keys of {@link SettingKeys}, each with its default, so that a key added, removed or changed
 * without its documentation fails the build.
 */
class ReadmeKeyTableTest {

  private static final Pattern KEY = Pattern.compile("^`([a-z][a-z.]*)`");
  private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

  @Test
  void theReadmeKeyTableListsEveryKeyWithItsDefaultAndNoOther() throws IOException {
    Map<String, String> declared = new TreeMap<>();
    SettingKeys.ALL.forEach(s -> declared.put(s.name(), s.defaultText()));
    assertThat(declared).hasSizeGreaterThan(20);
    assertThat(documented(Files.readString(Path.of("README.md")))).isEqualTo(declared);
  }

  @Test
  void aKeyMissingFromTheTableOrADefaultThatDiffersIsFound() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Map<String, String> all = documented(readme);
    assertThat(documented(readme.replaceFirst("(?m)^\\| `jmx` .*\\n", "")))
        .doesNotContainKey("jmx")
        .hasSize(all.size() - 1);
    assertThat(
            documented(
                readme.replace("| `store.poll.ms` | `1000` |", "| `store.poll.ms` | `500` |")))
        .containsEntry("store.poll.ms", "500");
  }

  /** Key to default (backquotes removed), one per row of the table under "## Configuration". */
  private static Map<String, String> documented(String readme) {
    int start = readme.indexOf("| key | default | meaning |");
    assertThat(start).as("the README's key table").isPositive();
    int end = readme.indexOf("\n\n", start);
    Map<String, String> documented = new TreeMap<>();
    for (String row : readme.substring(start, end).split("\n")) {
      String[] cells = CELL_SEPARATOR.split(row, -1);
      Matcher key = KEY.matcher(cells.length > 2 ? cells[1].trim() : "");
      if (key.find()) {
        String previous = documented.put(key.group(1), cells[2].trim().replace("`", ""));
        assertThat(previous).as("key %s documented twice", key.group(1)).isNull();
      }
    }
    return documented;
  }
}
