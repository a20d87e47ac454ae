package org.mend4j.runtime.gpt2.tokenizer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * Writes a byte-level BPE tokenizer as the three files a standard GPT-2 tokenizer loader reads:
 * {@code vocab.json} and {@code merges.txt} (HF's GPT2Tokenizer) and {@code tokenizer.json} (HF
 * {@code tokenizers}, GPT-2's pipeline). {@link Tokenizer#forModel} reads them back.
 */
public final class TokenizerFiles {

  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

  private TokenizerFiles() {}

  /**
   * Writes {@code vocab.json}, {@code merges.txt} and {@code tokenizer.json} into {@code dir}
   * (created if needed); {@value Tokenizer#END_OF_TEXT} is the one added (special) token.
   */
  public static void write(ByteLevelBpe tokenizer, Path dir) throws IOException {
    Files.createDirectories(dir);
    JsonObject vocab = vocabJson(tokenizer.vocab());
    Files.writeString(dir.resolve("vocab.json"), GSON.toJson(vocab) + "\n", StandardCharsets.UTF_8);
    StringBuilder merges = new StringBuilder("#version: 0.2\n");
    for (Merge merge : tokenizer.merges()) {
      merges.append(merge).append('\n');
    }
    Files.writeString(dir.resolve("merges.txt"), merges.toString(), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("tokenizer.json"),
        GSON.toJson(tokenizerJson(tokenizer, vocab)) + "\n",
        StandardCharsets.UTF_8);
  }

  /** Token to id, in id order. */
  private static JsonObject vocabJson(Map<String, Integer> vocab) {
    JsonObject json = new JsonObject();
    vocab.entrySet().stream()
        .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
        .forEach(e -> json.addProperty(e.getKey(), e.getValue()));
    return json;
  }

  /** HF {@code tokenizers} serialisation of GPT-2's pipeline with this vocabulary. */
  private static JsonObject tokenizerJson(ByteLevelBpe tokenizer, JsonObject vocab) {
    JsonObject root = new JsonObject();
    root.addProperty("version", "1.0");
    root.add("truncation", JsonNull.INSTANCE);
    root.add("padding", JsonNull.INSTANCE);
    JsonObject eot = new JsonObject();
    eot.addProperty("id", tokenizer.endOfTextId());
    eot.addProperty("content", Tokenizer.END_OF_TEXT);
    eot.addProperty("single_word", false);
    eot.addProperty("lstrip", false);
    eot.addProperty("rstrip", false);
    eot.addProperty("normalized", true);
    eot.addProperty("special", true);
    JsonArray added = new JsonArray();
    added.add(eot);
    root.add("added_tokens", added);
    root.add("normalizer", JsonNull.INSTANCE);
    root.add("pre_tokenizer", byteLevel(false, true));
    root.add("post_processor", byteLevel(true, false));
    root.add("decoder", byteLevel(true, true));
    JsonObject model = new JsonObject();
    model.addProperty("type", "BPE");
    model.add("dropout", JsonNull.INSTANCE);
    model.add("unk_token", JsonNull.INSTANCE);
    model.addProperty("continuing_subword_prefix", "");
    model.addProperty("end_of_word_suffix", "");
    model.addProperty("fuse_unk", false);
    model.addProperty("byte_fallback", false);
    model.add("vocab", vocab);
    JsonArray merges = new JsonArray();
    tokenizer.merges().forEach(merge -> merges.add(merge.toString()));
    model.add("merges", merges);
    root.add("model", model);
    return root;
  }

  private static JsonObject byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
    JsonObject o = new JsonObject();
    o.addProperty("type", "ByteLevel");
    o.addProperty("add_prefix_space", addPrefixSpace);
    o.addProperty("trim_offsets", trimOffsets);
    o.addProperty("use_regex", true);
    return o;
  }
}
