package org.mend4j.runtime.gpt2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

  private static final List<String> MERGES = List.of("Ġ t", "h e", "Ġt he", "Ġ w", "o r", "Ġw or");
  private static final String TEXT =
      "the world's café: 東京 🚀\n\n  tabs\tand   spaces <|endoftext|>end";

  @TempDir Path dir;
  private Map<String, Integer> vocab;

  @BeforeEach
  void vocabulary() {
    vocab = new LinkedHashMap<>();
    for (int b = 0; b < 256; b++) {
      vocab.put(ByteLevel.encode(new byte[] {(byte) b}), vocab.size());
    }
    for (String merge : MERGES) {
      vocab.put(merge.replace(" ", ""), vocab.size());
    }
    vocab.put(Tokenizer.END_OF_TEXT, vocab.size());
  }

  private Path writeVocabAndMerges() throws IOException {
    JsonObject json = new JsonObject();
    vocab.forEach(json::addProperty);
    Files.writeString(dir.resolve("vocab.json"), json.toString(), StandardCharsets.UTF_8);
    Files.write(
        dir.resolve("merges.txt"),
        java.util.stream.Stream.concat(java.util.stream.Stream.of("#version: 0.2"), MERGES.stream())
            .toList(),
        StandardCharsets.UTF_8);
    return dir;
  }

  @Test
  void appliesMergesByRankAfterGpt2Pretokenization() throws IOException {
    Tokenizer t = Tokenizer.forModel(writeVocabAndMerges());
    assertThat(t.encode(" the world"))
        .containsExactly(vocab.get("Ġthe"), vocab.get("Ġwor"), vocab.get("l"), vocab.get("d"));
    assertThat(t.encode("the")).containsExactly(vocab.get("t"), vocab.get("he"));
    assertThat(t.encode("a<|endoftext|>b"))
        .containsExactly(vocab.get("a"), t.endOfTextId(), vocab.get("b"));
  }

  @Test
  void roundTripsAnyUnicodeText() throws IOException {
    Tokenizer t = Tokenizer.forModel(writeVocabAndMerges());
    assertThat(t.decode(t.encode(TEXT))).isEqualTo(TEXT);
  }

  @Test
  void tokenizerJsonEncodesLikeVocabAndMerges() throws IOException {
    Tokenizer files = Tokenizer.forModel(writeVocabAndMerges());
    Path other = Files.createDirectory(dir.resolve("json"));
    JsonObject model = new JsonObject();
    model.addProperty("type", "BPE");
    JsonObject v = new JsonObject();
    vocab.forEach(
        (k, id) -> {
          if (!k.equals(Tokenizer.END_OF_TEXT)) {
            v.addProperty(k, id);
          }
        });
    model.add("vocab", v);
    JsonArray merges = new JsonArray();
    MERGES.forEach(merges::add);
    model.add("merges", merges);
    JsonObject root = new JsonObject();
    root.add("model", model);
    JsonObject added = new JsonObject();
    added.addProperty("id", vocab.get(Tokenizer.END_OF_TEXT));
    added.addProperty("content", Tokenizer.END_OF_TEXT);
    JsonArray addedTokens = new JsonArray();
    addedTokens.add(added);
    root.add("added_tokens", addedTokens);
    Files.writeString(other.resolve("tokenizer.json"), root.toString());
    assertThat(Tokenizer.forModel(other).encode(TEXT)).containsExactly(files.encode(TEXT));
  }

  @Test
  void fallsBackToGpt2sOwnVocabulary() {
    Tokenizer t = Tokenizer.forModel(dir);
    assertThat(t.encode("Hello world")).containsExactly(15496, 995);
    assertThat(t.encode("<|endoftext|>")).containsExactly(50256);
    assertThat(t.decode(t.encode(TEXT))).isEqualTo(TEXT);
  }

  @Test
  void aTokenOutsideTheByteAlphabetDecodesAsItsOwnText() {
    vocab.put("a€", vocab.size());
    ByteLevelBpe t = ByteLevelBpe.of(vocab, List.of());
    assertThat(t.decode(new int[] {vocab.get("a€"), vocab.get("Ġ"), vocab.get("b")}))
        .isEqualTo("a€ b");
  }

  @Test
  void aMergeWhosePartsAreNotInTheVocabularyIsRefused() throws IOException {
    writeVocabAndMerges();
    Files.writeString(
        dir.resolve("merges.txt"), "#version: 0.2\nĠ t\nĠt zzzq\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Tokenizer.forModel(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("merges.txt")
        .hasMessageContaining("merge 1")
        .hasMessageContaining("zzzq");
  }

  @Test
  void unknownIdsAreRefused() throws IOException {
    Tokenizer t = Tokenizer.forModel(writeVocabAndMerges());
    assertThatThrownBy(() -> t.decode(new int[] {10_000})).hasMessageContaining("token id 10000");
  }
}
