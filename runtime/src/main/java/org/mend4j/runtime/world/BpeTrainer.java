package org.mend4j.runtime.world;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mend4j.runtime.gpt2.tokenizer.ByteLevel;
import org.mend4j.runtime.gpt2.tokenizer.ByteLevelBpe;
import org.mend4j.runtime.gpt2.tokenizer.Merge;
import org.mend4j.runtime.gpt2.tokenizer.Tokenizer;

/**
 * Trains a GPT-2 byte-level BPE tokenizer on a corpus until a given set of words are single tokens.
 *
 * <p>Classic BPE (Sennrich et al.; GPT-2): pre-tokenize with GPT-2's pattern, count words, then
 * repeatedly merge the most frequent adjacent pair of tokens, weighted by word frequency. Ties go
 * to the pair whose (left, right) strings sort first, so training is deterministic. Training stops
 * as soon as every required word (for the world: each entity name with its leading space, {@code "
 * Velmora"}) is one token; the vocabulary stays as small as the required words allow, because every
 * token costs a row of the embedding.
 *
 * <p>Applying the merges by rank reproduces the training segmentation of every training word: a
 * merge creates a token younger than every earlier merge, so new adjacent pairs always have higher
 * ranks than the merge that created them.
 *
 * <p>The vocabulary is laid out as GPT-2's: ids 0..255 are the byte tokens in {@link
 * ByteLevel#byteOrder()}, then the result of each merge in rank order (a merge whose result is
 * already a token adds none), then {@value Tokenizer#END_OF_TEXT} last.
 */
public final class BpeTrainer {

  private final int maxMerges;

  /**
   * @param maxMerges upper bound on the merges; reaching it before every required word is one token
   *     is an error
   */
  public BpeTrainer(int maxMerges) {
    this.maxMerges = maxMerges;
  }

  /**
   * Trains on {@code texts}; each of {@code requiredWords} must pre-tokenize to one piece and ends
   * up a single token. Required words absent from the texts are counted once.
   */
  public ByteLevelBpe train(Collection<String> texts, Collection<String> requiredWords) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String text : texts) {
      for (String piece : ByteLevel.pretokenize(text)) {
        counts.merge(byteString(piece), 1, Integer::sum);
      }
    }
    TreeSet<String> required = new TreeSet<>();
    for (String word : requiredWords) {
      List<String> pieces = ByteLevel.pretokenize(word);
      if (pieces.size() != 1 || !pieces.get(0).equals(word)) {
        throw new IllegalArgumentException(
            "required word '" + word + "' is not one pre-token: " + pieces);
      }
      String bytes = byteString(word);
      counts.putIfAbsent(bytes, 1);
      required.add(bytes);
    }
    return new Run(counts, required).train();
  }

  private static String byteString(String text) {
    return ByteLevel.encode(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The mutable state of one training run: words as token-id sequences and the tokens so far. */
  private final class Run {
    private final List<int[]> words = new ArrayList<>();
    private final int[] freqs;
    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Integer> tokenIds = new HashMap<>();
    private final List<Integer> requiredIndices = new ArrayList<>();
    private final List<Merge> merges = new ArrayList<>();

    Run(Map<String, Integer> counts, TreeSet<String> required) {
      for (int b : ByteLevel.byteOrder()) {
        addToken(String.valueOf(ByteLevel.charOf(b)));
      }
      freqs = new int[counts.size()];
      int w = 0;
      for (Map.Entry<String, Integer> e : counts.entrySet()) {
        int[] word = e.getKey().chars().map(c -> tokenIds.get(String.valueOf((char) c))).toArray();
        words.add(word);
        freqs[w++] = e.getValue();
        if (required.contains(e.getKey())) {
          requiredIndices.add(w - 1);
        }
      }
    }

    ByteLevelBpe train() {
      while (!allRequiredSingle()) {
        if (merges.size() >= maxMerges) {
          throw new IllegalStateException(
              "after " + maxMerges + " merges some required words are still split");
        }
        long best = bestPair();
        if (best < 0) {
          throw new IllegalStateException("no pair left to merge");
        }
        int left = (int) (best >>> 32);
        int right = (int) best;
        String merged = tokens.get(left) + tokens.get(right);
        Integer id = tokenIds.get(merged);
        int newId = id != null ? id : addToken(merged);
        merges.add(new Merge(tokens.get(left), tokens.get(right)));
        for (int i = 0; i < words.size(); i++) {
          words.set(i, apply(words.get(i), left, right, newId));
        }
      }
      Map<String, Integer> vocab = new HashMap<>(tokenIds);
      vocab.put(Tokenizer.END_OF_TEXT, tokens.size());
      return ByteLevelBpe.of(vocab, merges);
    }

    private int addToken(String token) {
      tokens.add(token);
      tokenIds.put(token, tokens.size() - 1);
      return tokens.size() - 1;
    }

    private boolean allRequiredSingle() {
      return requiredIndices.stream().allMatch(i -> words.get(i).length == 1);
    }

    /** The most frequent pair as {@code left << 32 | right}, ties by token strings; -1 if none. */
    private long bestPair() {
      Map<Long, Integer> pairCounts = new HashMap<>();
      for (int i = 0; i < words.size(); i++) {
        int[] word = words.get(i);
        for (int j = 0; j + 1 < word.length; j++) {
          pairCounts.merge(((long) word[j] << 32) | word[j + 1], freqs[i], Integer::sum);
        }
      }
      long best = -1;
      int bestCount = 0;
      for (Map.Entry<Long, Integer> e : pairCounts.entrySet()) {
        int c = e.getValue();
        if (c > bestCount || (c == bestCount && comparePairs(e.getKey(), best) < 0)) {
          best = e.getKey();
          bestCount = c;
        }
      }
      return best;
    }

    private int comparePairs(long a, long b) {
      int c = tokens.get((int) (a >>> 32)).compareTo(tokens.get((int) (b >>> 32)));
      return c != 0 ? c : tokens.get((int) a).compareTo(tokens.get((int) b));
    }
  }

  /** Merges every non-overlapping occurrence, left to right; returns the same array if none. */
  private static int[] apply(int[] word, int left, int right, int merged) {
    int n = 0;
    int[] out = null;
    for (int j = 0; j < word.length; j++) {
      if (j + 1 < word.length && word[j] == left && word[j + 1] == right) {
        if (out == null) {
          out = new int[word.length - 1];
          System.arraycopy(word, 0, out, 0, j);
          n = j;
        }
        out[n++] = merged;
        j++;
      } else if (out != null) {
        out[n++] = word[j];
      }
    }
    return out == null ? word : java.util.Arrays.copyOf(out, n);
  }
}
