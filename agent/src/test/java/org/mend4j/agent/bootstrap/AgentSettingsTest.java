package org.mend4j.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.agent.admin.AdminLimits;
import org.mend4j.agent.binding.NameMapping;

class AgentSettingsTest {

  @TempDir Path dir;

  private static AgentSettings args(String agentArgs) {
    return AgentSettings.of(agentArgs, Map.of(), Map.of());
  }

  @Test
  void agentArgumentsWinOverSystemPropertiesOverEnvironmentOverFile() throws IOException {
    Path file = dir.resolve("mend4j.properties");
    Files.writeString(file, "edits=/from/file\nlayers=com.acme.Dense\nstatus.file=/file/status\n");
    AgentSettings settings =
        AgentSettings.of(
            "edits=/from/args,config=" + file,
            Map.of("mend4j.edits", "/from/props", "mend4j.layers", "com.acme.Props"),
            Map.of(
                "MEND4J_EDITS", "/from/env",
                "MEND4J_LAYERS", "com.acme.Env",
                "MEND4J_STATUS_INTERVAL_MS", "250"));
    assertThat(settings.store().editsDir()).contains(Path.of("/from/args"));
    assertThat(settings.hook().layers()).containsExactly("com.acme.Props");
    assertThat(settings.status().intervalMillis()).isEqualTo(250);
    assertThat(settings.status().file()).contains(Path.of("/file/status"));
    assertThat(settings.hook().mapping()).isSameAs(NameMapping.NONE);
    assertThat(settings.warnings()).isEmpty();
  }

  @Test
  void editsDirIsAnAliasAtEveryLevelButTheKeyItselfWinsWithinALevel() {
    assertThat(
            AgentSettings.of(null, Map.of("mend4j.edits.dir", "/p"), Map.of()).store().editsDir())
        .contains(Path.of("/p"));
    assertThat(
            AgentSettings.of(null, Map.of(), Map.of("MEND4J_EDITS_DIR", "/e")).store().editsDir())
        .contains(Path.of("/e"));
    assertThat(args("edits.dir=/a,edits=/b").store().editsDir()).contains(Path.of("/b"));
    assertThat(
            AgentSettings.of(null, Map.of("mend4j.edits.dir", "/p"), Map.of("MEND4J_EDITS", "/e"))
                .store()
                .editsDir())
        .as("a system property alias still beats the environment")
        .contains(Path.of("/p"));
  }

  @Test
  void nothingGivenMeansEveryDefault() {
    AgentSettings settings = args(null);
    assertThat(settings.enabled()).isTrue();
    assertThat(settings.hook().mergeMaxFloats()).isEqualTo(1L << 22);
    assertThat(settings.hook().torchScript()).isTrue();
    assertThat(settings.mklCpuDispatch()).as("the host's oneMKL left alone").isFalse();
    assertThat(settings.hook().variantsHeader()).isFalse();
    assertThat(settings.control().adminPort()).isEmpty();
    assertThat(settings.control().adminLimits()).isEqualTo(AdminLimits.defaults());
    assertThat(settings.control().startDelayMillis()).isEqualTo(1000);
    assertThat(settings.control().jmx()).isTrue();
    assertThat(settings.store().pollMillis()).isEqualTo(1000);
    assertThat(settings.store().replica()).endsWith("/" + ProcessHandle.current().pid());
    assertThat(settings.status().file()).isEmpty();
    assertThat(settings.warnings()).isEmpty();
  }

  @Test
  void mklCpuDispatchIsTakenFromEverySource() {
    assertThat(args("mkl.cpu.dispatch=true").mklCpuDispatch()).isTrue();
    assertThat(
            AgentSettings.of(null, Map.of("mend4j.mkl.cpu.dispatch", "true"), Map.of())
                .mklCpuDispatch())
        .isTrue();
    assertThat(
            AgentSettings.of(null, Map.of(), Map.of("MEND4J_MKL_CPU_DISPATCH", "true"))
                .mklCpuDispatch())
        .isTrue();
    AgentSettings bad = args("mkl.cpu.dispatch=sometimes");
    assertThat(bad.mklCpuDispatch()).isFalse();
    assertThat(bad.warnings()).anyMatch(w -> w.contains("mkl.cpu.dispatch"));
  }

  @Test
  void malformedArgumentsAndBadValuesBecomeWarningsNamingKeyAndValueAndTheDefaultIsUsed() {
    AgentSettings settings =
        args(
            "edits=/x,,nonsense,=novalue,status.interval.ms=-3,enabled=maybe,"
                + "admin.max.connections=10001,map=broken");
    assertThat(settings.store().editsDir()).contains(Path.of("/x"));
    assertThat(settings.status().intervalMillis()).isEqualTo(1000);
    assertThat(settings.enabled()).isTrue();
    assertThat(settings.control().adminLimits().maxConnections()).isEqualTo(256);
    assertThat(settings.hook().mapping()).isSameAs(NameMapping.NONE);
    assertThat(settings.warnings())
        .hasSize(6)
        .anySatisfy(w -> assertThat(w).contains("'nonsense'"))
        .anySatisfy(w -> assertThat(w).contains("'=novalue'"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("status.interval.ms=-3 is not a positive number; using 1000"))
        .anySatisfy(w -> assertThat(w).contains("enabled=maybe is not true or false; using true"))
        .anySatisfy(
            w ->
                assertThat(w).contains("admin.max.connections=10001 is not an integer in 1..10000"))
        .anySatisfy(w -> assertThat(w).startsWith("map=broken is not a name mapping ("));
  }

  @Test
  void mergeMaxFloatsTakesZeroAndRejectsNegativeOrMalformedValues() {
    assertThat(args("merge.max.floats=0").hook().mergeMaxFloats()).isZero();
    assertThat(
            AgentSettings.of(null, Map.of("mend4j.merge.max.floats", "4096"), Map.of())
                .hook()
                .mergeMaxFloats())
        .isEqualTo(4096);
    for (String bad : new String[] {"-1", "lots"}) {
      AgentSettings settings = args("merge.max.floats=" + bad);
      assertThat(settings.hook().mergeMaxFloats()).isEqualTo(SettingKeys.DEFAULT_MERGE_MAX_FLOATS);
      assertThat(settings.warnings())
          .singleElement()
          .asString()
          .contains("merge.max.floats=" + bad);
    }
  }

  @Test
  void listsAndFlagsAndMissingConfigFile() {
    AgentSettings settings = args("edits.disabled= e1 ;;e2 ,enabled=FALSE,config=/no/such/file");
    assertThat(settings.store().disabled()).containsExactlyInAnyOrder("e1", "e2");
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.warnings()).singleElement().asString().contains("/no/such/file");
  }

  @Test
  void everyKeyIsDeclaredOnceWithADescription() {
    List<String> names = SettingKeys.ALL.stream().map(Setting::name).toList();
    assertThat(names).doesNotHaveDuplicates().hasSizeGreaterThan(20);
    assertThat(SettingKeys.ALL)
        .allSatisfy(s -> assertThat(s.description()).isNotBlank())
        .allSatisfy(s -> assertThat(s.name()).matches("[a-z][a-z.]*"));
    assertThat(Optional.of(SettingKeys.EDITS.aliases())).contains(List.of("edits.dir"));
  }
}
