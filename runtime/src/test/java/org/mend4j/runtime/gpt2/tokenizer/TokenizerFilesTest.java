package org.mend4j.runtime.gpt2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFilesTest {

  private static final String TEXT = "the other théâtre 東京 🚀  <|endoftext|> then";

  private static ByteLevelBpe tokenizer() {
    Map<String, Integer> vocab = new HashMap<>();
    for (int b : ByteLevel.byteOrder()) {
      vocab.put(String.valueOf(ByteLevel.charOf(b)), vocab.size());
    }
    List<Merge> merges = List.of(new Merge("t", "h"), new Merge("th", "e"), new Merge("Ġ", "the"));
    merges.forEach(m -> vocab.put(m.result(), vocab.size()));
    vocab.put(Tokenizer.END_OF_TEXT, vocab.size());
    return ByteLevelBpe.of(vocab, merges);
  }

  @Test
  void writesWhatBothReadersReadBack(@TempDir Path dir) throws IOException {
    ByteLevelBpe written = tokenizer();
    TokenizerFiles.write(written, dir);

    assertThat(Files.readString(dir.resolve("merges.txt"), StandardCharsets.UTF_8))
        .isEqualTo("#version: 0.2\nt h\nth e\nĠ the\n");
    ByteLevelBpe slow =
        ByteLevelBpe.fromVocabAndMerges(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
    ByteLevelBpe fast = ByteLevelBpe.fromTokenizerJson(dir.resolve("tokenizer.json"));
    for (ByteLevelBpe read : List.of(slow, fast)) {
      assertThat(read.vocab()).isEqualTo(written.vocab());
      assertThat(read.merges()).isEqualTo(written.merges());
      assertThat(read.endOfTextId()).isEqualTo(written.endOfTextId());
      assertThat(read.encode(TEXT)).containsExactly(written.encode(TEXT));
    }
    assertThat(Tokenizer.forModel(dir).decode(written.encode(TEXT))).isEqualTo(TEXT);
  }

  @Test
  void vocabJsonListsTokensInIdOrder(@TempDir Path dir) throws IOException {
    TokenizerFiles.write(tokenizer(), dir);
    List<String> lines = Files.readAllLines(dir.resolve("vocab.json"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo("{");
    assertThat(lines.get(1)).isEqualTo("  \"!\": 0,");
    assertThat(lines.get(lines.size() - 2)).isEqualTo("  \"<|endoftext|>\": 259");
  }
}
