package org.mend4j.demoapp.model;

import java.util.Map;

/**
 * GPT-2's forward pass in plain Java loops over HF-named float arrays (Conv1D layout {@code [in,
 * out]}), written straight from the model's definition to check the DJL model against.
 */
final class NaiveGpt2 {

  private final Map<String, float[]> w;
  private final int vocab;
  private final int width;
  private final int layers;
  private final int heads;
  private final int inner;

  NaiveGpt2(Map<String, float[]> weights, int vocab, int width, int layers, int heads, int inner) {
    this.w = weights;
    this.vocab = vocab;
    this.width = width;
    this.layers = layers;
    this.heads = heads;
    this.inner = inner;
  }

  /** Logits {@code [T][vocab]}; the head is {@code lm_head.weight} if given, else {@code wte}. */
  float[][] logits(int[] ids) {
    int steps = ids.length;
    float[][] x = new float[steps][width];
    for (int t = 0; t < steps; t++) {
      for (int c = 0; c < width; c++) {
        x[t][c] = w.get("wte.weight")[ids[t] * width + c] + w.get("wpe.weight")[t * width + c];
      }
    }
    for (int l = 0; l < layers; l++) {
      String h = "h." + l + ".";
      float[][] qkv = dense(norm(x, h + "ln_1"), h + "attn.c_attn", width, 3 * width);
      add(x, dense(attention(qkv), h + "attn.c_proj", width, width));
      float[][] hidden = dense(norm(x, h + "ln_2"), h + "mlp.c_fc", width, inner);
      for (float[] row : hidden) {
        for (int i = 0; i < row.length; i++) {
          double v = row[i];
          row[i] =
              (float)
                  (0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
        }
      }
      add(x, dense(hidden, h + "mlp.c_proj", inner, width));
    }
    float[][] y = norm(x, "ln_f");
    float[] head = w.getOrDefault("lm_head.weight", w.get("wte.weight"));
    float[][] out = new float[steps][vocab];
    for (int t = 0; t < steps; t++) {
      for (int v = 0; v < vocab; v++) {
        double s = 0;
        for (int c = 0; c < width; c++) {
          s += y[t][c] * head[v * width + c];
        }
        out[t][v] = (float) s;
      }
    }
    return out;
  }

  private float[][] attention(float[][] qkv) {
    int steps = qkv.length;
    int dim = width / heads;
    float[][] y = new float[steps][width];
    for (int hd = 0; hd < heads; hd++) {
      for (int t = 0; t < steps; t++) {
        double[] p = new double[t + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s <= t; s++) {
          double dot = 0;
          for (int d = 0; d < dim; d++) {
            dot += qkv[t][hd * dim + d] * qkv[s][width + hd * dim + d];
          }
          p[s] = dot / Math.sqrt(dim);
          max = Math.max(max, p[s]);
        }
        double total = 0;
        for (int s = 0; s <= t; s++) {
          p[s] = Math.exp(p[s] - max);
          total += p[s];
        }
        for (int s = 0; s <= t; s++) {
          for (int d = 0; d < dim; d++) {
            y[t][hd * dim + d] += (float) (p[s] / total * qkv[s][2 * width + hd * dim + d]);
          }
        }
      }
    }
    return y;
  }

  private float[][] dense(float[][] x, String name, int in, int out) {
    float[] weight = w.get(name + ".weight");
    float[] bias = w.get(name + ".bias");
    float[][] y = new float[x.length][out];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < out; o++) {
        double s = bias[o];
        for (int i = 0; i < in; i++) {
          s += x[t][i] * weight[i * out + o];
        }
        y[t][o] = (float) s;
      }
    }
    return y;
  }

  private float[][] norm(float[][] x, String name) {
    float[] gamma = w.get(name + ".weight");
    float[] beta = w.get(name + ".bias");
    float[][] y = new float[x.length][width];
    for (int t = 0; t < x.length; t++) {
      double mean = 0;
      for (float v : x[t]) {
        mean += v;
      }
      mean /= width;
      double var = 0;
      for (float v : x[t]) {
        var += (v - mean) * (v - mean);
      }
      var /= width;
      for (int c = 0; c < width; c++) {
        y[t][c] = (float) ((x[t][c] - mean) / Math.sqrt(var + 1e-5) * gamma[c] + beta[c]);
      }
    }
    return y;
  }

  private static void add(float[][] x, float[][] y) {
    for (int t = 0; t < x.length; t++) {
      for (int c = 0; c < x[t].length; c++) {
        x[t][c] += y[t][c];
      }
    }
  }
}
