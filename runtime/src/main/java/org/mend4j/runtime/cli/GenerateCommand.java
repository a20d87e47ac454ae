package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mend4j.runtime.generate.GenerationConfig;
import org.mend4j.runtime.generate.Generator;
import org.mend4j.runtime.gpt2.Gpt2Model;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mend4j generate}: continues a prompt greedily, by beam search or by sampling. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Continue a prompt (greedy by default; --num-beams for beam search).")
final class GenerateCommand implements Runnable, ThreadPolicy.Inference {

  @Mixin ModelOption model;
  @Mixin EditsOption edits;

  static final class Input {
    @Option(names = "--prompt", paramLabel = "TEXT", description = "prompt text")
    String prompt;

    @Option(
        names = "--input-ids",
        paramLabel = "CSV",
        converter = TokenSequence.Converter.class,
        description = "prompt token ids, e.g. 0,0,0,52")
    TokenSequence ids;
  }

  @ArgGroup(multiplicity = "1")
  Input input;

  static final class Length {
    @Option(names = "--max-length", paramLabel = "N", description = "total tokens, prompt included")
    Integer maxLength;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "tokens to generate")
    Integer maxNewTokens;
  }

  @ArgGroup Length length;

  @Option(names = "--num-beams", defaultValue = "1", description = "beams (default 1: greedy)")
  int numBeams;

  @Option(names = "--length-penalty", defaultValue = "1.0", description = "beam length penalty")
  double lengthPenalty;

  @Option(names = "--temperature", defaultValue = "0", description = "sample at this temperature")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "sample from the k best (0: all)")
  int topK;

  @Option(names = "--top-p", defaultValue = "1.0", description = "nucleus sampling mass")
  double topP;

  @Option(names = "--seed", defaultValue = "0", description = "sampling seed")
  long seed;

  @Option(names = "--json", description = "print {\"output_ids\", \"text\"} as JSON")
  boolean json;

  @Override
  public void run() {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model m = model.load(manager)) {
      long[] prompt = input.ids != null ? input.ids.ids() : m.encode(input.prompt);
      GenerationConfig config =
          new GenerationConfig(
              newTokens(prompt.length),
              numBeams,
              lengthPenalty,
              temperature,
              topK,
              topP,
              seed,
              true);
      long[] out =
          new Generator(m.function(), edits.params(m, manager), manager).generate(prompt, config);
      long[] generated = Arrays.copyOfRange(out, prompt.length, out.length);
      if (json) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("output_ids", out);
        result.put("text", m.decode(out));
        result.put("completion", m.decode(generated));
        System.out.println(Json.write(result));
      } else {
        System.out.println(m.decode(out));
      }
    }
  }

  private int newTokens(int promptLength) {
    if (length == null) {
      return 20;
    }
    if (length.maxNewTokens != null) {
      return length.maxNewTokens;
    }
    if (length.maxLength < promptLength) {
      throw new IllegalArgumentException(
          "--max-length "
              + length.maxLength
              + " is shorter than the prompt ("
              + promptLength
              + ")");
    }
    return length.maxLength - promptLength;
  }
}
