package org.mend4j.agent.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerSpecTest {

  @Test
  void linearIsAlwaysThereAndEntriesParse() {
    List<String> problems = new ArrayList<>();
    Map<String, LayerSpec> specs =
        LayerSpec.withConfigured(
            List.of("com.acme.Dense", "com.acme.Conv1D:w:in_out", "bad entry", "x:y:sideways"),
            problems);
    assertThat(specs.keySet())
        .containsExactly("ai.djl.nn.core.Linear", "com.acme.Dense", "com.acme.Conv1D");
    assertThat(specs.get("com.acme.Dense"))
        .isEqualTo(new LayerSpec("com.acme.Dense", "weight", LayerSpec.Layout.OUT_IN));
    assertThat(specs.get("com.acme.Conv1D"))
        .isEqualTo(new LayerSpec("com.acme.Conv1D", "w", LayerSpec.Layout.IN_OUT));
    assertThat(problems)
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("'bad entry'"))
        .anySatisfy(p -> assertThat(p).contains("out_in or in_out"));
  }
}
