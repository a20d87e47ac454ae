package org.mend4j.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  /**
   * Every configuration key the agent reads is documented in its README's key table, and the table
   * names no key the agent does not read (aliases and the environment-only password aside).
   */
  @Test
  void theReadmeKeyTableListsEveryKeyAndNoOther() throws Exception {
    Set<String> keys = new TreeSet<>();
    for (Field f : AgentConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && ((String) f.get(null)).matches("[a-z][a-z.]*")) {
        keys.add((String) f.get(null));
      }
    }
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

  @TempDir Path dir;

  @Test
  void agentArgumentsWinOverSystemPropertiesOverEnvironmentOverFile() throws IOException {
    Path file = dir.resolve("mend4j.properties");
    Files.writeString(file, "edits=/from/file\nlayers=com.acme.Dense\nstatus.file=/file/status\n");
    AgentConfig config =
        AgentConfig.of(
            "edits=/from/args,config=" + file,
            Map.of("mend4j.edits", "/from/props", "mend4j.layers", "com.acme.Props"),
            Map.of(
                "MEND4J_EDITS", "/from/env",
                "MEND4J_LAYERS", "com.acme.Env",
                "MEND4J_STATUS_INTERVAL_MS", "250"));
    assertThat(config.get("edits")).contains("/from/args");
    assertThat(config.get("layers")).contains("com.acme.Props");
    assertThat(config.get("status.interval.ms")).contains("250");
    assertThat(config.get("status.file")).contains("/file/status");
    assertThat(config.get("map")).isEmpty();
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void editsDirIsAnAliasAtEveryLevelButTheKeyItselfWinsWithinALevel() {
    assertThat(AgentConfig.of(null, Map.of("mend4j.edits.dir", "/p"), Map.of()).get("edits"))
        .contains("/p");
    assertThat(AgentConfig.of(null, Map.of(), Map.of("MEND4J_EDITS_DIR", "/e")).get("edits"))
        .contains("/e");
    assertThat(AgentConfig.of("edits.dir=/a,edits=/b", Map.of(), Map.of()).get("edits"))
        .contains("/b");
    assertThat(
            AgentConfig.of(null, Map.of("mend4j.edits.dir", "/p"), Map.of("MEND4J_EDITS", "/e"))
                .get("edits"))
        .as("a system property alias still beats the environment")
        .contains("/p");
  }

  @Test
  void malformedArgumentsBecomeWarningsNotFailures() {
    AgentConfig config =
        AgentConfig.of(
            "edits=/x,,nonsense,=novalue,status.interval.ms=-3,enabled=maybe", Map.of(), Map.of());
    assertThat(config.get("edits")).contains("/x");
    assertThat(config.positiveLong("status.interval.ms", 1000)).isEqualTo(1000);
    assertThat(config.flag("enabled", true)).isTrue();
    assertThat(config.warnings())
        .hasSize(4)
        .anySatisfy(w -> assertThat(w).contains("'nonsense'"))
        .anySatisfy(w -> assertThat(w).contains("'=novalue'"))
        .anySatisfy(w -> assertThat(w).contains("status.interval.ms=-3"))
        .anySatisfy(w -> assertThat(w).contains("enabled=maybe"));
  }

  @Test
  void mergeMaxFloatsTakesZeroAndRejectsNegativeOrMalformedValues() {
    assertThat(
            AgentConfig.of("merge.max.floats=0", Map.of(), Map.of())
                .nonNegativeLong(AgentConfig.MERGE_MAX_FLOATS, 7))
        .isZero();
    assertThat(
            AgentConfig.of(null, Map.of("mend4j.merge.max.floats", "4096"), Map.of())
                .nonNegativeLong(AgentConfig.MERGE_MAX_FLOATS, 7))
        .isEqualTo(4096);
    assertThat(AgentConfig.of(null, Map.of(), Map.of()).nonNegativeLong("merge.max.floats", 7))
        .isEqualTo(7);
    for (String bad : new String[] {"-1", "lots"}) {
      AgentConfig config = AgentConfig.of("merge.max.floats=" + bad, Map.of(), Map.of());
      assertThat(config.nonNegativeLong(AgentConfig.MERGE_MAX_FLOATS, 7)).isEqualTo(7);
      assertThat(config.warnings()).singleElement().asString().contains("merge.max.floats=" + bad);
    }
  }

  @Test
  void listsAndFlagsAndMissingConfigFile() {
    AgentConfig config =
        AgentConfig.of(
            "edits.disabled= e1 ;;e2 ,enabled=FALSE,config=/no/such/file", Map.of(), Map.of());
    assertThat(config.list("edits.disabled")).containsExactly("e1", "e2");
    assertThat(config.flag("enabled", true)).isFalse();
    assertThat(config.warnings()).singleElement().asString().contains("/no/such/file");
  }
}
