package org.mend4j.runtime.gpt2.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Text to token ids and back, as the model was trained to read it. */
public interface Tokenizer {

  /** The end-of-text marker in GPT-2 vocabularies. */
  String END_OF_TEXT = "<|endoftext|>";

  /** Token ids of {@code text}; {@code <|endoftext|>} in the text becomes its special id. */
  int[] encode(String text);

  /** Text of {@code ids}; bytes that are not valid UTF-8 decode to U+FFFD. */
  String decode(int[] ids);

  /** Id of {@code <|endoftext|>}. */
  int endOfTextId();

  /** Number of token ids (one more than the largest id). */
  int vocabSize();

  /**
   * The tokenizer of a checkpoint directory: {@code vocab.json} + {@code merges.txt}, else {@code
   * tokenizer.json}, else GPT-2's {@code r50k_base}.
   */
  static Tokenizer forModel(Path dir) {
    Path vocab = dir.resolve("vocab.json");
    Path merges = dir.resolve("merges.txt");
    if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
      return ByteLevelBpe.fromVocabAndMerges(vocab, merges);
    }
    Path tokenizerJson = dir.resolve("tokenizer.json");
    if (Files.isRegularFile(tokenizerJson)) {
      return ByteLevelBpe.fromTokenizerJson(tokenizerJson);
    }
    return R50kTokenizer.without(dir);
  }
}
