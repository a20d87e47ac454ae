package org.mend4j.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one JSON shape of a variant reads back as the variant, and a bad one is refused. */
class VariantJsonTest {

  @Test
  void aVariantReadsBackAsItWasWritten() {
    Variant v = new Variant("canary", List.of("e1", "e2"), 12.5);
    assertThat(VariantJson.of(v).toString())
        .isEqualTo("{\"name\":\"canary\",\"edits\":[\"e1\",\"e2\"],\"traffic_percent\":12.5}");
    assertThat(VariantJson.parse(VariantJson.of(v))).isEqualTo(v);
  }

  @Test
  void anInvalidVariantIsRefused() {
    assertThatThrownBy(
            () ->
                VariantJson.parse(
                    JsonParser.parseString(
                            "{\"name\":\"default\",\"edits\":[],\"traffic_percent\":0}")
                        .getAsJsonObject()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be defined");
  }
}
