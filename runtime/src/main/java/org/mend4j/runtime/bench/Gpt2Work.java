package org.mend4j.runtime.bench;

import java.util.Map;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Names;

/**
 * What a GPT-2 forward pass must do, counted from its shapes: the matmul FLOPs of a prompt and of
 * one decode step, and the bytes one decode step must read from memory. They are the numerators of
 * the benchmark's "fraction of the matmul peak" and of its decode floor (bytes / bandwidth), kept
 * apart so the arithmetic can be checked by hand.
 */
final class Gpt2Work {

  private static final int FLOAT_BYTES = 4;

  private Gpt2Work() {}

  /** Matmul FLOPs of one forward over {@code tokens}, logits for every position included. */
  static double promptFlops(Gpt2Config c, int tokens) {
    double t = tokens;
    double e = c.nEmbd();
    double perLayer = 2 * t * e * (3 * e + e + 2 * c.nInner()) + 4 * t * t * e;
    return c.nLayer() * perLayer + 2 * t * e * c.vocabSize();
  }

  /** Matmul FLOPs of one decode step whose query attends to {@code keys} positions. */
  static double decodeFlops(Gpt2Config c, double keys) {
    double e = c.nEmbd();
    double perLayer = 2 * e * (3 * e + e + 2 * c.nInner()) + 4 * keys * e;
    return c.nLayer() * perLayer + 2 * e * c.vocabSize();
  }

  /**
   * Bytes one decode step must read, attending to {@code keys} positions: every parameter once (the
   * LM head in full, which is {@code wte} when tied), one row of each embedding the head does not
   * already cover, and the keys and values of every layer's cache.
   */
  static double decodeBytes(Gpt2Config c, double keys) {
    double floats = 0;
    for (Map.Entry<String, long[]> p : Gpt2Names.shapes(c).entrySet()) {
      boolean embedding = p.getKey().equals(Gpt2Names.WTE) || p.getKey().equals(Gpt2Names.WPE);
      floats += embedding ? c.nEmbd() : count(p.getValue());
    }
    if (c.tieWordEmbeddings()) {
      floats += (double) c.vocabSize() * c.nEmbd() - c.nEmbd();
    }
    floats += 2.0 * c.nLayer() * keys * c.nEmbd();
    return FLOAT_BYTES * floats;
  }

  /**
   * The mean number of positions a decode step attends to when {@code newTokens} are generated
   * after a prompt of {@code promptTokens}: the first token comes from the prompt's pass, step
   * {@code s} (1 to {@code newTokens - 1}) attends to {@code promptTokens + s} positions.
   */
  static double meanDecodeKeys(int promptTokens, int newTokens) {
    return promptTokens + newTokens / 2.0;
  }

  private static double count(long[] shape) {
    double n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
