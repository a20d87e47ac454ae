package org.mend4j.runtime.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws a token from logits with temperature, top-k and top-p (nucleus) filtering. */
final class Sampler {

  private Sampler() {}

  static int sample(
      float[] logits, double temperature, int topK, double topP, SplittableRandom random) {
    int n = logits.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
    int keep = topK > 0 ? Math.min(topK, n) : n;
    double max = logits[order[0]] / temperature;
    double[] probs = new double[keep];
    double total = 0;
    for (int i = 0; i < keep; i++) {
      probs[i] = Math.exp(logits[order[i]] / temperature - max);
      total += probs[i];
    }
    double cumulative = 0;
    int nucleus = 0;
    while (nucleus < keep && (nucleus == 0 || cumulative < topP * total)) {
      cumulative += probs[nucleus++];
    }
    double u = random.nextDouble() * cumulative;
    for (int i = 0; i < nucleus; i++) {
      u -= probs[i];
      if (u < 0) {
        return order[i];
      }
    }
    return order[nucleus - 1];
  }
}
