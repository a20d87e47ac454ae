package org.mend4j.agent.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NameMappingTest {

  @TempDir Path dir;

  @Test
  void patternsCaptureSegmentsAndExactEntriesWin() {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("transformer.h.*.mlp.*.weight", "blocks.*.ffn.*");
    entries.put("h.3.mlp.c_fc.weight", "special.fc");
    NameMapping m = NameMapping.of(entries);
    assertThat(m.hostPath("transformer.h.11.mlp.c_proj.weight")).contains("blocks.11.ffn.c_proj");
    assertThat(m.hostPath("h.11.mlp.c_fc.weight")).contains("blocks.11.ffn.c_fc");
    assertThat(m.hostPath("transformer.h.3.mlp.c_fc.weight")).contains("special.fc");
    assertThat(m.hostPath("transformer.h.3.attn.c_attn.weight")).isEmpty();
    assertThat(m.hostPath("transformer.h.1.2.mlp.c_fc.weight"))
        .as("'*' never spans a dot")
        .isEmpty();
  }

  @Test
  void inlineAndFileFormsAgree() throws IOException {
    Path file = dir.resolve("map.properties");
    Files.writeString(file, "# comment\ntransformer.h.*.mlp.c_fc.weight = h*.mlp.c_fc\n");
    NameMapping fromFile = NameMapping.parse(file.toString());
    NameMapping inline = NameMapping.parse("transformer.h.*.mlp.c_fc.weight=h*.mlp.c_fc;");
    for (NameMapping m : new NameMapping[] {fromFile, inline}) {
      assertThat(m.size()).isEqualTo(1);
      assertThat(m.hostPath("transformer.h.4.mlp.c_fc.weight")).contains("h4.mlp.c_fc");
    }
  }

  @Test
  void unusableMappingsAreClearErrors() {
    assertThatThrownBy(() -> NameMapping.of(Map.of("h.1.mlp.c_fc.weight", "a.*")))
        .hasMessageContaining("more '*'");
    assertThatThrownBy(() -> NameMapping.parse(dir.resolve("missing.properties").toString()))
        .hasMessageContaining("missing.properties");
    assertThatThrownBy(() -> NameMapping.parse("a=b;nonsense")).hasMessageContaining("'nonsense'");
  }
}
