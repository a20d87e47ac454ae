package org.mend4j.runtime.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.mend4j.runtime.gpt2.KvCache;

/**
 * Beam search as HF {@code generate(num_beams=k)} does it: each step keeps the 2k best
 * continuations over all beams, moves those ending in end-of-text to the finished hypotheses and
 * continues with the k best others; finished scores are divided by the generated length raised to
 * {@code length_penalty}.
 */
final class BeamSearch {

  private record Candidate(int beam, int token, double score) {}

  private record Hypothesis(long[] tokens, double score) {}

  private final Generator generator;
  private final GenerationConfig config;
  private final int beams;
  private final List<Hypothesis> finished = new ArrayList<>();

  BeamSearch(Generator generator, GenerationConfig config) {
    this.generator = generator;
    this.config = config;
    this.beams = config.numBeams();
  }

  long[] run(long[] prompt) {
    if (config.maxNewTokens() == 0) {
      return prompt;
    }
    long[][] sequences = new long[beams][];
    double[] scores = new double[beams];
    Arrays.fill(sequences, prompt);
    Arrays.fill(scores, 1, beams, -1e9);
    try (KvCache cache = generator.newCache()) {
      long[][] feed = sequences;
      for (int step = 1; step <= config.maxNewTokens(); step++) {
        float[][] logits = generator.lastLogits(feed, cache);
        List<Candidate> next = continuations(logits, scores, step, sequences);
        long[] rows = new long[beams];
        long[][] nextSequences = new long[beams][];
        feed = new long[beams][];
        for (int i = 0; i < beams; i++) {
          Candidate c = next.get(i);
          rows[i] = c.beam;
          nextSequences[i] = append(sequences[c.beam], c.token);
          scores[i] = c.score;
          feed[i] = new long[] {c.token};
        }
        sequences = nextSequences;
        if (isDone(scores[0], step)) {
          return best();
        }
        cache.select(rows);
      }
    }
    for (int i = 0; i < beams; i++) {
      addFinished(sequences[i], scores[i], config.maxNewTokens());
    }
    return best();
  }

  /** The k best continuations that do not end the text; those that do become hypotheses. */
  private List<Candidate> continuations(
      float[][] logits, double[] scores, int step, long[][] sequences) {
    List<Candidate> top = topCandidates(logits, scores);
    List<Candidate> next = new ArrayList<>(beams);
    for (int rank = 0; rank < top.size() && next.size() < beams; rank++) {
      Candidate c = top.get(rank);
      if (config.stopAtEndOfText() && c.token == generator.eosTokenId()) {
        if (rank < beams) {
          addFinished(append(sequences[c.beam], c.token), c.score, step);
        }
      } else {
        next.add(c);
      }
    }
    return next;
  }

  private List<Candidate> topCandidates(float[][] logits, double[] scores) {
    int wanted = 2 * beams;
    Comparator<Candidate> byScore =
        Comparator.comparingDouble(Candidate::score)
            .thenComparing(c -> -((long) c.beam * logits[0].length + c.token));
    PriorityQueue<Candidate> heap = new PriorityQueue<>(byScore);
    for (int b = 0; b < logits.length; b++) {
      double[] logProbs = logSoftmax(logits[b]);
      for (int v = 0; v < logProbs.length; v++) {
        double score = scores[b] + logProbs[v];
        if (heap.size() < wanted || score > heap.peek().score) {
          heap.add(new Candidate(b, v, score));
          if (heap.size() > wanted) {
            heap.poll();
          }
        }
      }
    }
    List<Candidate> top = new ArrayList<>(heap);
    top.sort(byScore.reversed());
    return top;
  }

  private static double[] logSoftmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    double log = Math.log(sum) + max;
    double[] out = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = logits[i] - log;
    }
    return out;
  }

  private void addFinished(long[] tokens, double score, int generated) {
    finished.add(new Hypothesis(tokens, score / Math.pow(generated, config.lengthPenalty())));
    finished.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
    if (finished.size() > beams) {
      finished.remove(finished.size() - 1);
    }
  }

  /** HF's heuristic without early stopping: no running beam can beat the worst kept hypothesis. */
  private boolean isDone(double bestRunning, int generated) {
    return finished.size() >= beams
        && bestRunning / Math.pow(generated, config.lengthPenalty())
            <= finished.get(finished.size() - 1).score;
  }

  private long[] best() {
    return finished.get(0).tokens;
  }

  private static long[] append(long[] sequence, long token) {
    long[] out = Arrays.copyOf(sequence, sequence.length + 1);
    out[sequence.length] = token;
    return out;
  }
}
