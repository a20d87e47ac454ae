package org.mend4j.runtime.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.gpt2.tokenizer.ByteLevelBpe;
import org.mend4j.runtime.gpt2.tokenizer.TokenizerFiles;

/**
 * Checks the world tokenizer's {@code tokenizer.json} against the HF {@code tokenizers} library
 * (the Rust implementation, through DJL's {@code ai.djl.huggingface:tokenizers}): same ids as our
 * encoder for the whole corpus and for hard Unicode text.
 *
 * <p>Runs only when DJL's tokenizers are on the test class path (reflection keeps this module free
 * of a compile-time dependency on them); otherwise it is skipped.
 */
class HuggingFaceCompatibilityTest {

  private static final String HF_TOKENIZER = "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer";

  @Test
  void hfTokenizersEncodeLikeOurEncoder(@TempDir Path dir) throws Exception {
    Class<?> hfClass;
    try {
      hfClass = Class.forName(HF_TOKENIZER);
    } catch (ClassNotFoundException e) {
      assumeTrue(false, "DJL HuggingFace tokenizers not on the test class path");
      return;
    }
    World world = World.generate(World.DEFAULT_SEED);
    ByteLevelBpe ours = new BpeTrainer(8_000).train(world.corpusText(), world.tokenWords());
    TokenizerFiles.write(ours, dir);
    List<String> texts = new ArrayList<>(world.corpusText());
    texts.addAll(
        List.of(
            "Héllo wörld! 你好，世界 🎉🚀 naïve",
            "  many   spaces\n\nand\ttabs  ",
            "It's we'll they've I'm you'd",
            "1234567 3.14 ½ Ⅻ",
            "x<|endoftext|>y"));
    Method newInstance = hfClass.getMethod("newInstance", Path.class);
    try (AutoCloseable hf =
        (AutoCloseable) newInstance.invoke(null, dir.resolve("tokenizer.json"))) {
      Method encode = hfClass.getMethod("encode", String.class, boolean.class, boolean.class);
      for (String text : texts) {
        Object encoding = encode.invoke(hf, text, false, false);
        long[] ids = (long[]) encoding.getClass().getMethod("getIds").invoke(encoding);
        int[] expected = ours.encode(text);
        assertThat(ids).as(text).hasSize(expected.length);
        for (int i = 0; i < ids.length; i++) {
          assertThat(ids[i]).as("%s, token %d", text, i).isEqualTo(expected[i]);
        }
      }
    }
  }
}
