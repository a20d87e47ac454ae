package org.mend4j.runtime.world;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A GPT-2 byte-level BPE tokenizer: vocabulary, ranked merges, encoder and decoder, and the three
 * files a standard GPT-2 tokenizer loader reads ({@code vocab.json}, {@code merges.txt}, {@code
 * tokenizer.json}).
 *
 * <p>Layout of the vocabulary, as in GPT-2: ids 0..255 are the byte tokens in {@link
 * ByteLevel#byteOrder()}, then the result of each merge in rank order (a merge whose result is
 * already a token adds none), then {@value #END_OF_TEXT} last. Encoding is GPT-2's: pre-tokenize,
 * map bytes to characters, then repeatedly merge every occurrence of the lowest-ranked adjacent
 * pair. This is the world model's own tokenizer and the reference the runtime's tokenizer is
 * checked against; it is not meant to be fast.
 */
public final class BpeTokenizer {

  /** GPT-2's only special token, always the last id. */
  public static final String END_OF_TEXT = "<|endoftext|>";

  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

  private final List<String> tokens;
  private final Map<String, Integer> ids;
  private final List<Merge> merges;
  private final Map<Merge, Integer> ranks;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  /** One merge rule: two adjacent tokens (byte-level strings) that become their concatenation. */
  public record Merge(String left, String right) {
    /** The token this merge produces. */
    public String result() {
      return left + right;
    }
  }

  private BpeTokenizer(List<String> tokens, List<Merge> merges) {
    this.tokens = List.copyOf(tokens);
    this.merges = List.copyOf(merges);
    Map<String, Integer> idMap = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (idMap.put(tokens.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate token '" + tokens.get(i) + "' at id " + i);
      }
    }
    this.ids = Collections.unmodifiableMap(idMap);
    Map<Merge, Integer> rankMap = new HashMap<>();
    for (int r = 0; r < merges.size(); r++) {
      Merge m = merges.get(r);
      for (String part : List.of(m.left(), m.right(), m.result())) {
        if (!idMap.containsKey(part)) {
          throw new IllegalArgumentException(
              "merge " + r + " '" + m.left() + " " + m.right() + "': '" + part + "' not in vocab");
        }
      }
      if (rankMap.putIfAbsent(m, r) != null) {
        throw new IllegalArgumentException("merge " + r + " '" + m + "' is a duplicate");
      }
    }
    this.ranks = rankMap;
  }

  /** The tokenizer whose vocabulary is the 256 byte tokens, the merge results and end-of-text. */
  public static BpeTokenizer fromMerges(List<Merge> merges) {
    List<String> tokens = new ArrayList<>();
    for (int b : ByteLevel.byteOrder()) {
      tokens.add(String.valueOf(ByteLevel.charOf(b)));
    }
    java.util.Set<String> seen = new java.util.HashSet<>(tokens);
    for (Merge m : merges) {
      if (seen.add(m.result())) {
        tokens.add(m.result());
      }
    }
    tokens.add(END_OF_TEXT);
    return new BpeTokenizer(tokens, merges);
  }

  /**
   * Reads {@code vocab.json} and {@code merges.txt} from a directory and checks that they agree:
   * ids 0..n-1 without gaps, byte tokens first in GPT-2 order, every merge's parts and result in
   * the vocabulary.
   */
  public static BpeTokenizer load(Path dir) throws IOException {
    Path vocabFile = dir.resolve("vocab.json");
    JsonObject vocab = JsonParser.parseString(Files.readString(vocabFile)).getAsJsonObject();
    String[] byId = new String[vocab.size()];
    for (Map.Entry<String, JsonElement> e : vocab.entrySet()) {
      int id = e.getValue().getAsInt();
      if (id < 0 || id >= byId.length || byId[id] != null) {
        throw new IllegalArgumentException(vocabFile + ": id " + id + " of '" + e.getKey() + "'");
      }
      byId[id] = e.getKey();
    }
    int[] order = ByteLevel.byteOrder();
    for (int i = 0; i < 256; i++) {
      if (!byId[i].equals(String.valueOf(ByteLevel.charOf(order[i])))) {
        throw new IllegalArgumentException(vocabFile + ": id " + i + " is not GPT-2's byte token");
      }
    }
    List<Merge> merges = new ArrayList<>();
    List<String> lines = Files.readAllLines(dir.resolve("merges.txt"), StandardCharsets.UTF_8);
    for (String line : lines) {
      if (line.startsWith("#version") || line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ");
      if (parts.length != 2) {
        throw new IllegalArgumentException("merges.txt: not a merge: '" + line + "'");
      }
      merges.add(new Merge(parts[0], parts[1]));
    }
    return new BpeTokenizer(List.of(byId), merges);
  }

  /** Number of tokens, {@value #END_OF_TEXT} included. */
  public int vocabSize() {
    return tokens.size();
  }

  /** The merges in rank order. */
  public List<Merge> merges() {
    return merges;
  }

  /** The token (byte-level string) of an id. */
  public String token(int id) {
    return tokens.get(id);
  }

  /** The id of a token (byte-level string), or -1. */
  public int id(String token) {
    return ids.getOrDefault(token, -1);
  }

  /** The id of {@value #END_OF_TEXT}. */
  public int endOfTextId() {
    return tokens.size() - 1;
  }

  /** Token ids of a text; the literal {@value #END_OF_TEXT} becomes the special token. */
  public int[] encode(String text) {
    List<Integer> out = new ArrayList<>();
    int from = 0;
    while (from <= text.length()) {
      int special = text.indexOf(END_OF_TEXT, from);
      String chunk = text.substring(from, special < 0 ? text.length() : special);
      for (String piece : ByteLevel.pretokenize(chunk)) {
        for (int id : cache.computeIfAbsent(piece, this::encodePiece)) {
          out.add(id);
        }
      }
      if (special < 0) {
        break;
      }
      out.add(endOfTextId());
      from = special + END_OF_TEXT.length();
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The text of token ids (invalid UTF-8 sequences become U+FFFD, as in HF's decoder). */
  public String decode(int[] tokenIds) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int id : tokenIds) {
      if (id == endOfTextId()) {
        bytes.writeBytes(END_OF_TEXT.getBytes(StandardCharsets.UTF_8));
      } else {
        bytes.writeBytes(ByteLevel.toBytes(tokens.get(id)));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private int[] encodePiece(String piece) {
    List<String> word = new ArrayList<>();
    String bytes = ByteLevel.toByteString(piece);
    for (int i = 0; i < bytes.length(); i++) {
      word.add(String.valueOf(bytes.charAt(i)));
    }
    while (word.size() > 1) {
      Merge best = null;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < word.size(); i++) {
        Merge m = new Merge(word.get(i), word.get(i + 1));
        Integer r = ranks.get(m);
        if (r != null && r < bestRank) {
          bestRank = r;
          best = m;
        }
      }
      if (best == null) {
        break;
      }
      List<String> next = new ArrayList<>(word.size());
      for (int i = 0; i < word.size(); i++) {
        if (i + 1 < word.size()
            && word.get(i).equals(best.left())
            && word.get(i + 1).equals(best.right())) {
          next.add(best.result());
          i++;
        } else {
          next.add(word.get(i));
        }
      }
      word = next;
    }
    return word.stream().mapToInt(ids::get).toArray();
  }

  /** Writes {@code vocab.json}, {@code merges.txt} and {@code tokenizer.json} into a directory. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("vocab.json"), GSON.toJson(vocabJson()) + "\n");
    StringBuilder m = new StringBuilder("#version: 0.2\n");
    for (Merge merge : merges) {
      m.append(merge.left()).append(' ').append(merge.right()).append('\n');
    }
    Files.writeString(dir.resolve("merges.txt"), m.toString());
    Files.writeString(dir.resolve("tokenizer.json"), GSON.toJson(tokenizerJson()) + "\n");
  }

  private JsonObject vocabJson() {
    JsonObject vocab = new JsonObject();
    for (int i = 0; i < tokens.size(); i++) {
      vocab.addProperty(tokens.get(i), i);
    }
    return vocab;
  }

  /** HF {@code tokenizers} serialisation of GPT-2's pipeline with this vocabulary. */
  private JsonObject tokenizerJson() {
    JsonObject root = new JsonObject();
    root.addProperty("version", "1.0");
    root.add("truncation", JsonNull.INSTANCE);
    root.add("padding", JsonNull.INSTANCE);
    JsonObject eot = new JsonObject();
    eot.addProperty("id", endOfTextId());
    eot.addProperty("content", END_OF_TEXT);
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
    model.add("vocab", vocabJson());
    JsonArray mergeArray = new JsonArray();
    for (Merge merge : merges) {
      mergeArray.add(merge.left() + " " + merge.right());
    }
    model.add("merges", mergeArray);
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
