package org.mend4j.runtime.gpt2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ByteLevelTest {

  @Test
  void byteOrderIsGpt2sTokenOrder() {
    int[] order = ByteLevel.byteOrder();
    assertThat(ByteLevel.charOf(order[0])).isEqualTo('!');
    assertThat(ByteLevel.charOf(order[93])).isEqualTo('~');
    assertThat(ByteLevel.charOf(order[188])).isEqualTo('Ā'); // byte 0
    assertThat(ByteLevel.charOf(order[220])).isEqualTo('Ġ'); // the space byte, GPT-2's id 220
    assertThat(ByteLevel.charOf(order[255])).isEqualTo('Ń'); // byte 173, the last unprintable one
    assertThat(Arrays.stream(order).sorted().toArray())
        .isEqualTo(IntStream.range(0, 256).toArray());
  }

  @Test
  void pretokenizerSplitsLikeGpt2() {
    assertThat(ByteLevel.pretokenize("Hello world's  test 42!?"))
        .containsExactly("Hello", " world", "'s", " ", " test", " 42", "!?");
    assertThat(ByteLevel.pretokenize("a \n b")).containsExactly("a", " \n", " b");
  }

  @Test
  void everyByteRoundTrips() {
    byte[] all = new byte[256];
    for (int b = 0; b < 256; b++) {
      all[b] = (byte) b;
    }
    String chars = ByteLevel.encode(all);
    assertThat(chars.chars().distinct().count()).isEqualTo(256);
    assertThat(chars.chars().allMatch(c -> !Character.isWhitespace(c))).isTrue();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ByteLevel.decode(chars, out)).isTrue();
    assertThat(out.toByteArray()).isEqualTo(all);
  }

  @Test
  void aForeignCharacterDecodesToNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ByteLevel.decode("ab€", out)).isFalse();
    assertThat(out.size()).isZero();
  }
}
