package org.mend4j.runtime.gpt2;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that knows HF GPT-2 parameter names and shapes. Canonical names carry the {@code
 * transformer.} prefix; checkpoints without it are accepted and mapped here.
 */
public final class Gpt2Names {

  /** The prefix of every body parameter in canonical names. */
  public static final String PREFIX = "transformer.";

  /** The tied LM head; resolves to {@code wte} unless a checkpoint holds its own. */
  public static final String LM_HEAD = "lm_head.weight";

  /** The token embedding (also the LM head when tied). */
  public static final String WTE = PREFIX + "wte.weight";

  /** The position embedding. */
  public static final String WPE = PREFIX + "wpe.weight";

  private Gpt2Names() {}

  /** Canonical name of a block parameter, e.g. {@code block(3, "mlp.c_fc.weight")}. */
  public static String block(int layer, String suffix) {
    return PREFIX + "h." + layer + "." + suffix;
  }

  /** The block a canonical parameter name belongs to, or -1 for the embeddings, ln_f and head. */
  public static int blockOf(String name) {
    String blocks = PREFIX + "h.";
    if (!name.startsWith(blocks)) {
      return -1;
    }
    int end = name.indexOf('.', blocks.length());
    return end < 0 ? -1 : Integer.parseInt(name.substring(blocks.length(), end));
  }

  /** Canonical name of a final-LayerNorm parameter ({@code weight} or {@code bias}). */
  public static String lnF(String kind) {
    return PREFIX + "ln_f." + kind;
  }

  /** Adds the {@code transformer.} prefix where a body parameter lacks it. */
  public static String canonical(String name) {
    return name.startsWith(PREFIX) || name.equals(LM_HEAD) ? name : PREFIX + name;
  }

  /**
   * Every parameter a GPT-2 of this config has, with its HF shape, in checkpoint order. Conv1D
   * weights are {@code [in, out]}.
   */
  public static Map<String, long[]> shapes(Gpt2Config c) {
    long e = c.nEmbd();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put(WTE, new long[] {c.vocabSize(), e});
    shapes.put(WPE, new long[] {c.nPositions(), e});
    for (int i = 0; i < c.nLayer(); i++) {
      shapes.put(block(i, "ln_1.weight"), new long[] {e});
      shapes.put(block(i, "ln_1.bias"), new long[] {e});
      shapes.put(block(i, "attn.c_attn.weight"), new long[] {e, 3 * e});
      shapes.put(block(i, "attn.c_attn.bias"), new long[] {3 * e});
      shapes.put(block(i, "attn.c_proj.weight"), new long[] {e, e});
      shapes.put(block(i, "attn.c_proj.bias"), new long[] {e});
      shapes.put(block(i, "ln_2.weight"), new long[] {e});
      shapes.put(block(i, "ln_2.bias"), new long[] {e});
      shapes.put(block(i, "mlp.c_fc.weight"), new long[] {e, c.nInner()});
      shapes.put(block(i, "mlp.c_fc.bias"), new long[] {c.nInner()});
      shapes.put(block(i, "mlp.c_proj.weight"), new long[] {c.nInner(), e});
      shapes.put(block(i, "mlp.c_proj.bias"), new long[] {e});
    }
    shapes.put(lnF("weight"), new long[] {e});
    shapes.put(lnF("bias"), new long[] {e});
    if (!c.tieWordEmbeddings()) {
      shapes.put(LM_HEAD, new long[] {c.vocabSize(), e});
    }
    return shapes;
  }
}
