package org.mend4j.runtime.gpt2;

import java.util.Map;

/**
 * GPT-2 written as plain loops over float arrays, straight from the HF definition, as an
 * independent check of {@link FunctionalGpt2}. Slow, batch of one, no cache.
 */
final class NaiveGpt2 {

  private final Gpt2Config c;
  private final Map<String, float[]> w;

  NaiveGpt2(Gpt2Config config, Map<String, float[]> weights) {
    this.c = config;
    this.w = weights;
  }

  /** Logits {@code [T][vocab]}. */
  float[][] logits(long[] ids) {
    int t = ids.length;
    int e = c.nEmbd();
    float[][] x = new float[t][e];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < e; j++) {
        x[i][j] =
            w.get("transformer.wte.weight")[(int) ids[i] * e + j]
                + w.get("transformer.wpe.weight")[i * e + j];
      }
    }
    for (int l = 0; l < c.nLayer(); l++) {
      String p = "transformer.h." + l + ".";
      add(x, attention(norm(x, p + "ln_1"), p + "attn."));
      add(x, mlp(norm(x, p + "ln_2"), p + "mlp."));
    }
    float[][] h = norm(x, "transformer.ln_f");
    float[][] out = new float[t][c.vocabSize()];
    float[] wte = w.get("transformer.wte.weight");
    for (int i = 0; i < t; i++) {
      for (int v = 0; v < c.vocabSize(); v++) {
        double s = 0;
        for (int j = 0; j < e; j++) {
          s += h[i][j] * wte[v * e + j];
        }
        out[i][v] = (float) s;
      }
    }
    return out;
  }

  private float[][] attention(float[][] x, String p) {
    int t = x.length;
    int e = c.nEmbd();
    int d = c.headDim();
    float[][] qkv = conv1d(x, p + "c_attn");
    float[][] out = new float[t][e];
    for (int head = 0; head < c.nHead(); head++) {
      for (int i = 0; i < t; i++) {
        double[] scores = new double[i + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          double s = 0;
          for (int k = 0; k < d; k++) {
            s += qkv[i][head * d + k] * qkv[j][e + head * d + k];
          }
          scores[j] = s / Math.sqrt(d);
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j <= i; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int k = 0; k < d; k++) {
          double s = 0;
          for (int j = 0; j <= i; j++) {
            s += scores[j] / sum * qkv[j][2 * e + head * d + k];
          }
          out[i][head * d + k] = (float) s;
        }
      }
    }
    return conv1d(out, p + "c_proj");
  }

  private float[][] mlp(float[][] x, String p) {
    float[][] h = conv1d(x, p + "c_fc");
    for (float[] row : h) {
      for (int j = 0; j < row.length; j++) {
        double v = row[j];
        row[j] =
            (float)
                (0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
      }
    }
    return conv1d(h, p + "c_proj");
  }

  private float[][] conv1d(float[][] x, String name) {
    float[] weight = w.get(name + ".weight");
    float[] bias = w.get(name + ".bias");
    int in = x[0].length;
    int out = bias.length;
    float[][] y = new float[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double s = bias[o];
        for (int k = 0; k < in; k++) {
          s += x[i][k] * weight[k * out + o];
        }
        y[i][o] = (float) s;
      }
    }
    return y;
  }

  private float[][] norm(float[][] x, String name) {
    float[] g = w.get(name + ".weight");
    float[] b = w.get(name + ".bias");
    float[][] y = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      double mean = 0;
      for (float v : x[i]) {
        mean += v;
      }
      mean /= x[i].length;
      double var = 0;
      for (float v : x[i]) {
        var += (v - mean) * (v - mean);
      }
      var /= x[i].length;
      y[i] = new float[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        y[i][j] = (float) ((x[i][j] - mean) / Math.sqrt(var + c.layerNormEpsilon()) * g[j] + b[j]);
      }
    }
    return y;
  }

  private static void add(float[][] x, float[][] y) {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] += y[i][j];
      }
    }
  }
}
