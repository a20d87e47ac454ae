package org.mend4j.runtime.world;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.gpt2.tokenizer.ByteLevel;
import org.mend4j.runtime.gpt2.tokenizer.ByteLevelBpe;
import org.mend4j.runtime.gpt2.tokenizer.Merge;
import org.mend4j.runtime.gpt2.tokenizer.Tokenizer;
import org.mend4j.runtime.gpt2.tokenizer.TokenizerFiles;

/**
 * Checks the world tokenizer's {@code tokenizer.json} against the HF {@code tokenizers} library
 * (the Rust implementation, through DJL's {@code ai.djl.huggingface:tokenizers}, whose jar carries
 * the native library; it reads the local file and needs no network): the same ids as {@link
 * ByteLevelBpe} for every corpus sentence and the whole corpus as one text, for hard Unicode text
 * and for random text, and the same text back from those ids; and that GPT-2's pre-tokenizer splits
 * at Unicode white space as HF's does.
 */
class HuggingFaceCompatibilityTest {

  @TempDir static Path worldDir;
  private static ByteLevelBpe world;

  @BeforeAll
  static void writeTheWorldTokenizer() throws IOException {
    TokenizerFiles.write(WorldData.tokenizer(World.generate(World.DEFAULT_SEED)), worldDir);
    world = ByteLevelBpe.fromTokenizerJson(worldDir.resolve("tokenizer.json"));
  }

  /** HF, reading {@code dir/tokenizer.json}, gives {@code ours}'s ids and text for each text. */
  private static void assertSameIds(ByteLevelBpe ours, Path dir, List<String> texts)
      throws IOException {
    // DJL truncates to 512 tokens unless told not to; the joined corpus is far longer.
    try (HuggingFaceTokenizer hf =
        HuggingFaceTokenizer.newInstance(
            dir.resolve("tokenizer.json"), Map.of("truncation", "false"))) {
      for (String text : texts) {
        int[] expected = ours.encode(text);
        long[] ids = hf.encode(text, false, false).getIds();
        assertThat(Arrays.stream(ids).mapToInt(Math::toIntExact).toArray())
            .as("%s %s", text, text.codePoints().toArray())
            .containsExactly(expected);
        assertThat(hf.decode(ids, false)).as(text).isEqualTo(ours.decode(expected));
      }
    }
  }

  @Test
  void encodesTheCorpusAndHardTextLikeHf() throws IOException {
    List<String> corpus = World.generate(World.DEFAULT_SEED).corpusText();
    List<String> texts = new ArrayList<>(corpus);
    texts.add(String.join("\n", corpus));
    texts.addAll(BpeTrainerTest.HARD_TEXTS);
    texts.addAll(
        List.of(
            "Héllo wörld! 你好，世界 🎉🚀 naïve",
            "  many   spaces\n\nand\ttabs  ",
            "\n\n\n   \t\t  x    \u00a0\u00a0 y\r\n\r\n",
            "It's we'll they've I'm you'd",
            "IT'S WE'LL 's't're've'm'll'd",
            "1234567 3.14 ½ Ⅻ",
            "x<|endoftext|>y",
            "<|endoftext|><|endoftext|> <|endoftext|>\n",
            "<|endoftext|",
            "a\u0301 e\u0308 ﬁ ＡＢＣ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "한국어 العربية עברית हिन्दी ไทย"));
    assertSameIds(world, worldDir, texts);
  }

  @Test
  void encodesRandomTextLikeHf() throws IOException {
    SplittableRandom rng = new SplittableRandom(11);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      texts.add(BpeTrainerTest.randomText(rng));
    }
    assertSameIds(world, worldDir, texts);
  }

  /**
   * The world's vocabulary has no merge across non-ASCII white space, so a different split there
   * would not show in its ids; this one merges no-break space with what follows it, so splitting
   * {@code "a\u00a0!"} as HF does (white space is Unicode's: {@code [a, \u00a0, !]}) and splitting
   * it as ASCII-only {@code \s} would ({@code [a, \u00a0!]}) give different ids.
   */
  @Test
  void pretokenizerTakesUnicodeWhiteSpaceLikeHf(@TempDir Path tiny) throws IOException {
    Map<String, Integer> vocab = new HashMap<>();
    for (int b : ByteLevel.byteOrder()) {
      vocab.put(String.valueOf(ByteLevel.charOf(b)), vocab.size());
    }
    String nbsp = ByteLevel.encode("\u00a0".getBytes(StandardCharsets.UTF_8));
    String em = ByteLevel.encode("\u2003".getBytes(StandardCharsets.UTF_8));
    List<Merge> merges =
        List.of(
            new Merge(nbsp.substring(0, 1), nbsp.substring(1)),
            new Merge(nbsp, "!"),
            new Merge(nbsp, nbsp),
            new Merge(em.substring(0, 1), em.substring(1, 2)),
            new Merge(em.substring(0, 2), em.substring(2)),
            new Merge(em, "x"));
    merges.forEach(m -> vocab.putIfAbsent(m.result(), vocab.size()));
    vocab.put(Tokenizer.END_OF_TEXT, vocab.size());
    ByteLevelBpe bpe = ByteLevelBpe.of(vocab, merges);
    TokenizerFiles.write(bpe, tiny);
    assertThat(bpe.encode("a\u00a0!")).hasSize(3);
    assertSameIds(
        bpe,
        tiny,
        List.of(
            "a\u00a0!",
            "a\u00a0\u00a0x",
            "a\u00a0\u00a0",
            "y\u2003x",
            "\u2003x",
            "\u0085!",
            "\u2028!",
            "\u3000\u3000 !"));
  }
}
