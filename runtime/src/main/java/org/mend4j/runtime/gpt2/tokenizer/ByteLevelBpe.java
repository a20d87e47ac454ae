package org.mend4j.runtime.gpt2.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level BPE: text is split by GPT-2's pre-tokenizer pattern, each piece's UTF-8 bytes
 * are mapped to printable characters ({@link ByteLevel}), and merges are applied lowest rank first,
 * every occurrence of the best pair at once, left to right. Thread-safe.
 */
public final class ByteLevelBpe implements Tokenizer {

  private static final int CACHE_LIMIT = 100_000;

  private final Map<String, Integer> vocab;
  private final String[] tokens;
  private final List<Merge> merges;
  private final Map<Merge, Integer> mergeRanks;
  private final int endOfText;
  private final Pattern specials;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  ByteLevelBpe(Map<String, Integer> vocab, List<Merge> merges, String source) {
    this.vocab = Map.copyOf(vocab);
    int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    this.tokens = new String[size];
    vocab.forEach(
        (token, id) -> {
          if (id < 0) {
            throw new IllegalArgumentException(source + ": token '" + token + "' has id " + id);
          }
          tokens[id] = token;
        });
    this.merges = List.copyOf(merges);
    this.mergeRanks = new HashMap<>();
    for (int rank = 0; rank < merges.size(); rank++) {
      Merge m = merges.get(rank);
      for (String part : List.of(m.left(), m.right(), m.result())) {
        if (!vocab.containsKey(part)) {
          throw new IllegalArgumentException(
              source + ": merge " + rank + " '" + m + "': '" + part + "' is not in the vocabulary");
        }
      }
      mergeRanks.putIfAbsent(m, rank);
    }
    Integer eot = vocab.get(END_OF_TEXT);
    if (eot == null) {
      throw new IllegalArgumentException(source + ": vocabulary has no " + END_OF_TEXT);
    }
    this.endOfText = eot;
    this.specials = Pattern.compile(Pattern.quote(END_OF_TEXT));
  }

  /**
   * The tokenizer of a vocabulary (token to id, {@value #END_OF_TEXT} included) and merges in rank
   * order; every merge's parts and result must be tokens, as HF {@code tokenizers} requires.
   */
  public static ByteLevelBpe of(Map<String, Integer> vocab, List<Merge> merges) {
    return new ByteLevelBpe(vocab, merges, "vocabulary");
  }

  /** Reads {@code vocab.json} and {@code merges.txt} (the slow HF GPT2Tokenizer's files). */
  public static ByteLevelBpe fromVocabAndMerges(Path vocabFile, Path mergesFile) {
    Map<String, Integer> vocab = readVocab(parse(vocabFile).getAsJsonObject(), vocabFile);
    List<Merge> merges = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(mergesFile, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#version")) {
          merges.add(parseMerge(line, mergesFile));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + mergesFile, e);
    }
    return new ByteLevelBpe(vocab, merges, vocabFile + ", " + mergesFile);
  }

  /** Reads a HF {@code tokenizer.json} with a BPE model. */
  public static ByteLevelBpe fromTokenizerJson(Path file) {
    JsonObject root = parse(file).getAsJsonObject();
    JsonObject model = root.getAsJsonObject("model");
    if (model == null || !"BPE".equals(model.get("type").getAsString())) {
      throw new IllegalArgumentException(file + ": model.type is not BPE");
    }
    Map<String, Integer> vocab = readVocab(model.getAsJsonObject("vocab"), file);
    if (root.has("added_tokens")) {
      for (JsonElement added : root.getAsJsonArray("added_tokens")) {
        JsonObject t = added.getAsJsonObject();
        vocab.put(t.get("content").getAsString(), t.get("id").getAsInt());
      }
    }
    List<Merge> merges = new ArrayList<>();
    for (JsonElement merge : model.getAsJsonArray("merges")) {
      merges.add(
          merge.isJsonArray()
              ? new Merge(
                  merge.getAsJsonArray().get(0).getAsString(),
                  merge.getAsJsonArray().get(1).getAsString())
              : parseMerge(merge.getAsString(), file));
    }
    return new ByteLevelBpe(vocab, merges, file.toString());
  }

  private static JsonElement parse(Path file) {
    try {
      return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(file + ": not valid JSON", e);
    }
  }

  private static Map<String, Integer> readVocab(JsonObject json, Path file) {
    if (json == null) {
      throw new IllegalArgumentException(file + ": no vocabulary object");
    }
    Map<String, Integer> vocab = new HashMap<>();
    json.entrySet().forEach(e -> vocab.put(e.getKey(), e.getValue().getAsInt()));
    return vocab;
  }

  private static Merge parseMerge(String line, Path file) {
    String[] parts = line.split(" ");
    if (parts.length != 2) {
      throw new IllegalArgumentException(file + ": malformed merge '" + line + "'");
    }
    return new Merge(parts[0], parts[1]);
  }

  /** Token to id, {@value #END_OF_TEXT} and any other added token included. */
  public Map<String, Integer> vocab() {
    return vocab;
  }

  /** The merges in rank order. */
  public List<Merge> merges() {
    return merges;
  }

  @Override
  public int[] encode(String text) {
    List<Integer> ids = new ArrayList<>();
    Matcher special = specials.matcher(text);
    int start = 0;
    while (special.find()) {
      encodeOrdinary(text.substring(start, special.start()), ids);
      ids.add(endOfText);
      start = special.end();
    }
    encodeOrdinary(text.substring(start), ids);
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  private void encodeOrdinary(String text, List<Integer> out) {
    for (String word : ByteLevel.pretokenize(text)) {
      String piece = ByteLevel.encode(word.getBytes(StandardCharsets.UTF_8));
      int[] ids = cache.get(piece);
      if (ids == null) {
        ids = bpe(piece);
        if (cache.size() < CACHE_LIMIT) {
          cache.put(piece, ids);
        }
      }
      for (int id : ids) {
        out.add(id);
      }
    }
  }

  /** Applies merges to one pre-tokenized piece, lowest rank first. */
  private int[] bpe(String piece) {
    List<String> symbols = new ArrayList<>();
    piece.chars().forEach(c -> symbols.add(String.valueOf((char) c)));
    while (symbols.size() > 1) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < symbols.size(); i++) {
        Integer rank = mergeRanks.get(new Merge(symbols.get(i), symbols.get(i + 1)));
        if (rank != null && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      String left = symbols.get(best);
      String right = symbols.get(best + 1);
      for (int i = 0; i + 1 < symbols.size(); i++) {
        if (symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
          symbols.set(i, left + right);
          symbols.remove(i + 1);
        }
      }
    }
    int[] ids = new int[symbols.size()];
    for (int i = 0; i < ids.length; i++) {
      Integer id = vocab.get(symbols.get(i));
      if (id == null) {
        throw new IllegalStateException("vocabulary lacks BPE symbol '" + symbols.get(i) + "'");
      }
      ids[i] = id;
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int id : ids) {
      if (id < 0 || id >= tokens.length || tokens[id] == null) {
        throw new IllegalArgumentException("token id " + id + " is not in the vocabulary");
      }
      if (!ByteLevel.decode(tokens[id], bytes)) {
        bytes.writeBytes(tokens[id].getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public int endOfTextId() {
    return endOfText;
  }

  @Override
  public int vocabSize() {
    return tokens.length;
  }
}
