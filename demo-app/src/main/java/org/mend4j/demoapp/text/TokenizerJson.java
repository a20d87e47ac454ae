package org.mend4j.demoapp.text;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the {@code tokenizer.json} of a GPT-2 tokenizer from the older {@code vocab.json} and
 * {@code merges.txt} pair.
 *
 * <p>The pipeline is GPT-2's own: byte-level pre-tokenization with GPT-2's regex and no prefix
 * space, a BPE model over the vocabulary and merges, and the byte-level decoder; {@code
 * <|endoftext|>} is a special token when the vocabulary has it.
 */
final class TokenizerJson {

  static final String END_OF_TEXT = "<|endoftext|>";

  private TokenizerJson() {}

  static String fromVocabAndMerges(Path vocabFile, Path mergesFile) throws IOException {
    JsonObject vocab;
    try (Reader reader = Files.newBufferedReader(vocabFile, StandardCharsets.UTF_8)) {
      vocab = JsonParser.parseReader(reader).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(vocabFile + ": not a JSON object of token ids: " + e.getMessage(), e);
    }
    JsonObject model = new JsonObject();
    model.addProperty("type", "BPE");
    model.add("dropout", JsonNull.INSTANCE);
    model.add("unk_token", JsonNull.INSTANCE);
    model.addProperty("continuing_subword_prefix", "");
    model.addProperty("end_of_word_suffix", "");
    model.addProperty("fuse_unk", false);
    model.addProperty("byte_fallback", false);
    model.add("vocab", vocab);
    model.add("merges", merges(mergesFile));

    JsonObject json = new JsonObject();
    json.addProperty("version", "1.0");
    json.add("added_tokens", addedTokens(vocab));
    json.add("normalizer", JsonNull.INSTANCE);
    json.add("pre_tokenizer", byteLevel());
    json.add("post_processor", byteLevel());
    json.add("decoder", byteLevel());
    json.add("model", model);
    Gson gson = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    return gson.toJson(json);
  }

  private static JsonArray merges(Path mergesFile) throws IOException {
    JsonArray merges = new JsonArray();
    List<String> lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) {
        continue;
      }
      if (line.split(" ").length != 2) {
        throw new IOException(mergesFile + ":" + (i + 1) + ": expected two tokens, found: " + line);
      }
      merges.add(line);
    }
    return merges;
  }

  private static JsonArray addedTokens(JsonObject vocab) {
    JsonArray added = new JsonArray();
    JsonElement id = vocab.get(END_OF_TEXT);
    if (id != null) {
      JsonObject token = new JsonObject();
      token.add("id", id);
      token.addProperty("content", END_OF_TEXT);
      token.addProperty("single_word", false);
      token.addProperty("lstrip", false);
      token.addProperty("rstrip", false);
      token.addProperty("normalized", true);
      token.addProperty("special", true);
      added.add(token);
    }
    return added;
  }

  private static JsonObject byteLevel() {
    JsonObject step = new JsonObject();
    step.addProperty("type", "ByteLevel");
    step.addProperty("add_prefix_space", false);
    step.addProperty("trim_offsets", true);
    step.addProperty("use_regex", true);
    return step;
  }
}
