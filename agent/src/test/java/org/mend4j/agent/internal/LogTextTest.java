package org.mend4j.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void controlCharactersBecomeQuestionMarksAndLongTextIsCut() {
    assertThat(LogText.clean("\u001b[31mred\r\nforged line")).isEqualTo("?[31mred??forged line");
    assertThat(LogText.clean("caf\u00e9 \ud83d\ude00 \ud800")).isEqualTo("caf\u00e9 ?? ?");
    assertThat(LogText.clean("x".repeat(500))).hasSize(LogText.MAX_CHARS + 3).endsWith("...");
    assertThat(LogText.clean(null)).isEqualTo("null");
  }
}
