package org.mend4j.demoapp.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * GPT-2's byte-level BPE tokenizer, set up from the files of a checkpoint directory.
 *
 * <p>It runs on the Hugging Face {@code tokenizers} library through DJL (its native library ships
 * in the jar, so nothing is downloaded). A directory with {@code tokenizer.json} is used as is; one
 * with only GPT-2's older {@code vocab.json} + {@code merges.txt} gets the same pipeline built
 * around them. Encoding adds no special tokens and never truncates: the service checks lengths
 * itself.
 */
public final class Gpt2Tokenizer implements AutoCloseable {

  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private final HuggingFaceTokenizer tokenizer;

  private Gpt2Tokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /**
   * Loads the tokenizer of a checkpoint directory.
   *
   * @param dir the directory
   * @return the tokenizer
   * @throws IOException if the directory has no tokenizer files or they cannot be read
   */
  public static Gpt2Tokenizer load(Path dir) throws IOException {
    Path json = dir.resolve("tokenizer.json");
    Path vocab = dir.resolve("vocab.json");
    Path merges = dir.resolve("merges.txt");
    if (Files.isRegularFile(json)) {
      return new Gpt2Tokenizer(HuggingFaceTokenizer.newInstance(json, OPTIONS));
    }
    if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
      byte[] built =
          TokenizerJson.fromVocabAndMerges(vocab, merges).getBytes(StandardCharsets.UTF_8);
      try (InputStream in = new ByteArrayInputStream(built)) {
        return new Gpt2Tokenizer(HuggingFaceTokenizer.newInstance(in, OPTIONS));
      }
    }
    throw new IOException(
        "no tokenizer in " + dir + ": expected tokenizer.json, or vocab.json and merges.txt");
  }

  /**
   * Encodes text to token ids.
   *
   * @param text any text
   * @return its ids, without added special tokens
   */
  public long[] encode(String text) {
    return tokenizer.encode(text).getIds();
  }

  /**
   * Decodes token ids to text.
   *
   * @param ids token ids
   * @return the text they stand for
   */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, false);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
