package org.mend4j.runtime.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.gpt2.tokenizer.ByteLevel;
import org.mend4j.runtime.gpt2.tokenizer.ByteLevelBpe;
import org.mend4j.runtime.gpt2.tokenizer.Merge;
import org.mend4j.runtime.gpt2.tokenizer.Tokenizer;
import org.mend4j.runtime.gpt2.tokenizer.TokenizerFiles;

class BpeTrainerTest {

  private static final World WORLD = World.generate(World.DEFAULT_SEED);
  private static final ByteLevelBpe TOK =
      new BpeTrainer(8_000).train(WORLD.corpusText(), WORLD.tokenWords());

  /** Text that GPT-2's byte-level BPE must get right beyond the world's plain ASCII corpus. */
  static final List<String> HARD_TEXTS =
      List.of(
          "Héllo wörld! naïve café Zürich",
          "你好，世界。日本語のテキスト",
          "emoji 🎉🚀👩‍👩‍👧 and flags 🇫🇷",
          "  leading, trailing and   inner   spaces   ",
          "tabs\tand\nnew\r\nlines\n\n\n",
          "It's we'll they've I'm you'd she's",
          "numbers 1234567 3.14159 ½ Ⅻ ٣",
          "nbsp\u00a0em\u2003ideographic\u3000space",
          "",
          " ",
          "<|endoftext|>The capital<|endoftext|>");

  /**
   * Up to 40 chars of random text: a quarter printable ASCII, a quarter white space and apostrophes
   * (where GPT-2's pre-tokenizer decides most), the rest any assigned code point.
   */
  static String randomText(SplittableRandom rng) {
    StringBuilder sb = new StringBuilder();
    int n = rng.nextInt(40);
    while (sb.length() < n) {
      int kind = rng.nextInt(4);
      int cp =
          kind == 0
              ? rng.nextInt(0x20, 0x80)
              : kind == 1 ? " \t\n\u00a0'".charAt(rng.nextInt(5)) : rng.nextInt(0x110000);
      if (Character.isDefined(cp) && Character.getType(cp) != Character.SURROGATE) {
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  /** The token (byte-level string) of an id. */
  private static String token(int id) {
    return TOK.vocab().entrySet().stream()
        .filter(e -> e.getValue() == id)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  /** The id of a token (byte-level string), or -1. */
  private static int id(String token) {
    return TOK.vocab().getOrDefault(token, -1);
  }

  @Test
  void byteTokensComeFirstInGpt2Order() {
    assertThat(token(0)).isEqualTo("!");
    assertThat(token(93)).isEqualTo("~");
    assertThat(token(188)).isEqualTo("Ā"); // byte 0
    assertThat(token(220)).isEqualTo("Ġ"); // the space byte, GPT-2's id 220
    assertThat(token(255)).isEqualTo("Ń"); // byte 173, the last unprintable one
    assertThat(token(TOK.endOfTextId())).isEqualTo(Tokenizer.END_OF_TEXT);
    assertThat(TOK.endOfTextId()).isEqualTo(TOK.vocab().size() - 1);
    assertThat(TOK.vocab().values())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, TOK.vocab().size()).boxed().toList());
  }

  @Test
  void everyEntityNameWithItsSpaceIsOneToken() {
    for (String word : WORLD.tokenWords()) {
      assertThat(TOK.encode(word)).as(word).hasSize(1);
    }
    Fact f = WORLD.facts().get(0);
    int[] ids = TOK.encode(f.sentence(0));
    assertThat(ids[ids.length - 2])
        .isEqualTo(
            id(ByteLevel.encode((" " + f.object().name()).getBytes(StandardCharsets.UTF_8))));
    assertThat(TOK.decode(ids)).isEqualTo(f.sentence(0));
  }

  @Test
  void vocabularyIsSmallAndConsistentWithTheMerges() {
    int vocabSize = TOK.vocab().size();
    assertThat(vocabSize).isBetween(1000, 3000);
    assertThat(vocabSize).isLessThanOrEqualTo(256 + TOK.merges().size() + 1);
    for (Merge m : TOK.merges()) {
      int result = id(m.result());
      assertThat(result).as(m.toString()).isGreaterThanOrEqualTo(256);
      assertThat(id(m.left())).isBetween(0, result - 1);
      assertThat(id(m.right())).isBetween(0, result - 1);
    }
  }

  @Test
  void trainingIsDeterministic() {
    World world = World.generate(World.DEFAULT_SEED);
    ByteLevelBpe again = new BpeTrainer(8_000).train(world.corpusText(), world.tokenWords());
    assertThat(again.merges()).isEqualTo(TOK.merges());
    assertThat(again.vocab()).isEqualTo(TOK.vocab());
  }

  @Test
  void roundTripsArbitraryText() {
    for (String text : HARD_TEXTS) {
      assertThat(TOK.decode(TOK.encode(text))).as(text).isEqualTo(text);
    }
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 300; i++) {
      String text = randomText(rng);
      assertThat(TOK.decode(TOK.encode(text)))
          .as("%s", text.codePoints().toArray())
          .isEqualTo(text);
    }
  }

  @Test
  void endOfTextIsTheSpecialToken() {
    int[] ids = TOK.encode("x<|endoftext|>y");
    assertThat(ids).hasSize(3);
    assertThat(ids[1]).isEqualTo(TOK.endOfTextId());
  }

  @Test
  void filesRoundTripAndDescribeTheSameTokenizer(@TempDir Path dir) throws IOException {
    TokenizerFiles.write(TOK, dir);
    List<String> merges = Files.readAllLines(dir.resolve("merges.txt"), StandardCharsets.UTF_8);
    assertThat(merges.get(0)).isEqualTo("#version: 0.2");
    assertThat(merges).hasSize(TOK.merges().size() + 1);
    assertThat(Files.readString(dir.resolve("merges.txt"))).endsWith("\n");

    ByteLevelBpe loaded =
        ByteLevelBpe.fromVocabAndMerges(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
    assertThat(loaded.vocab()).isEqualTo(TOK.vocab());
    assertThat(loaded.merges()).isEqualTo(TOK.merges());
    Tokenizer forModel = Tokenizer.forModel(dir);
    for (String text : HARD_TEXTS) {
      assertThat(forModel.encode(text)).isEqualTo(TOK.encode(text));
    }

    JsonObject vocab =
        JsonParser.parseString(Files.readString(dir.resolve("vocab.json"))).getAsJsonObject();
    JsonObject tj =
        JsonParser.parseString(Files.readString(dir.resolve("tokenizer.json"))).getAsJsonObject();
    JsonObject model = tj.getAsJsonObject("model");
    assertThat(model.get("type").getAsString()).isEqualTo("BPE");
    assertThat(model.getAsJsonObject("vocab")).isEqualTo(vocab);
    JsonArray tjMerges = model.getAsJsonArray("merges");
    assertThat(tjMerges.size()).isEqualTo(TOK.merges().size());
    assertThat(tjMerges.get(5).getAsString()).isEqualTo(merges.get(6));
    JsonObject pre = tj.getAsJsonObject("pre_tokenizer");
    assertThat(pre.get("type").getAsString()).isEqualTo("ByteLevel");
    assertThat(pre.get("add_prefix_space").getAsBoolean()).isFalse();
    assertThat(pre.get("trim_offsets").getAsBoolean()).isTrue();
    assertThat(pre.get("use_regex").getAsBoolean()).isTrue();
    assertThat(tj.getAsJsonObject("decoder").get("type").getAsString()).isEqualTo("ByteLevel");
    assertThat(tj.getAsJsonObject("post_processor").get("type").getAsString())
        .isEqualTo("ByteLevel");
    JsonObject eot = tj.getAsJsonArray("added_tokens").get(0).getAsJsonObject();
    assertThat(eot.get("content").getAsString()).isEqualTo(Tokenizer.END_OF_TEXT);
    assertThat(eot.get("id").getAsInt()).isEqualTo(TOK.endOfTextId());
    assertThat(eot.get("special").getAsBoolean()).isTrue();
  }

  @Test
  void trainerRejectsARequiredWordThatIsNotOnePretoken() {
    assertThatThrownBy(() -> new BpeTrainer(10).train(List.of("a b"), List.of(" two words")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two words");
  }

  @Test
  void trainerBreaksTiesByTokenStrings() {
    // "ab" and "cd" are equally frequent: the pair that sorts first ("a","b") merges first.
    ByteLevelBpe t = new BpeTrainer(10).train(List.of("cd ab"), List.of("cd"));
    assertThat(t.merges()).containsExactly(new Merge("a", "b"), new Merge("c", "d"));
    assertThat(t.encode("abcd")).hasSize(2);
  }
}
