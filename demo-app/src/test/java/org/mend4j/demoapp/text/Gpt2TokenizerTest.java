package org.mend4j.demoapp.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.demoapp.Fixtures;

/**
 * The tokenizer against encodings made by the reference GPT-2 algorithm (OpenAI's encoder.py) for
 * the fixture vocabulary; see data/fixtures/bpe-1000.
 */
class Gpt2TokenizerTest {

  private record Case(String text, long[] ids) {}

  @Test
  void tokenizerJsonEncodesLikeTheReferenceAlgorithm(@TempDir Path dir) throws IOException {
    Fixtures.copyTokenizerFile("tokenizer.json", dir);
    assertEncodesAllCases(dir);
  }

  @Test
  void vocabAndMergesAloneEncodeLikeTheReferenceAlgorithm(@TempDir Path dir) throws IOException {
    Fixtures.copyTokenizerFile("vocab.json", dir);
    Fixtures.copyTokenizerFile("merges.txt", dir);
    assertEncodesAllCases(dir);
  }

  @Test
  void decodingReturnsTheOriginalText(@TempDir Path dir) throws IOException {
    Fixtures.copyTokenizerFile("tokenizer.json", dir);
    try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.load(dir)) {
      for (Case c : cases()) {
        assertThat(tokenizer.decode(tokenizer.encode(c.text()))).isEqualTo(c.text());
      }
    }
  }

  @Test
  void endOfTextIsOneSpecialTokenAndNoneIsAdded(@TempDir Path dir) throws IOException {
    Fixtures.copyTokenizerFile("vocab.json", dir);
    Fixtures.copyTokenizerFile("merges.txt", dir);
    try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.load(dir)) {
      long[] plain = tokenizer.encode("Hello world");
      long[] withEos = tokenizer.encode("Hello world<|endoftext|>");
      assertThat(withEos).hasSize(plain.length + 1).startsWith(plain).endsWith(999L);
    }
  }

  @Test
  void aDirectoryWithoutTokenizerFilesIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> Gpt2Tokenizer.load(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no tokenizer in")
        .hasMessageContaining("tokenizer.json, or vocab.json and merges.txt");
  }

  private static void assertEncodesAllCases(Path dir) throws IOException {
    try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.load(dir)) {
      for (Case c : cases()) {
        assertThat(tokenizer.encode(c.text())).as(c.text()).containsExactly(c.ids());
      }
    }
  }

  private static List<Case> cases() throws IOException {
    String text = Files.readString(Fixtures.tokenizerDir().resolve("expected.json"));
    List<Case> cases = new ArrayList<>();
    for (JsonElement e : JsonParser.parseString(text).getAsJsonArray()) {
      JsonObject o = e.getAsJsonObject();
      JsonArray ids = o.getAsJsonArray("ids");
      long[] values = new long[ids.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = ids.get(i).getAsLong();
      }
      cases.add(new Case(o.get("text").getAsString(), values));
    }
    assertThat(cases).hasSizeGreaterThan(5);
    return cases;
  }
}
