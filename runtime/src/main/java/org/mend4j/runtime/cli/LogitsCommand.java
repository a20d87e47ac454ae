package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.HostCopy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mend4j logits}: the full logits of one or more same-length token sequences. */
@Command(
    name = "logits",
    mixinStandardHelpOptions = true,
    description = "Print logits [batch][position][vocab] of same-length token sequences.")
final class LogitsCommand implements Runnable, ThreadPolicy.Inference {

  @Mixin ModelOption model;
  @Mixin EditsOption edits;

  @Option(
      names = "--input-ids",
      required = true,
      paramLabel = "CSV",
      converter = TokenSequence.Converter.class,
      description = "a sequence of token ids; repeat for a batch")
  List<TokenSequence> inputs;

  @Option(names = "--json", description = "print {\"logits\": [...]} (the only format)")
  boolean json;

  @Override
  public void run() {
    long[][] batch = inputs.stream().map(TokenSequence::ids).toArray(long[][]::new);
    for (long[] row : batch) {
      if (row.length != batch[0].length) {
        throw new IllegalArgumentException(
            "all --input-ids must have the same length; got "
                + batch[0].length
                + " and "
                + row.length);
      }
    }
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model m = model.load(manager)) {
      for (long[] row : batch) {
        for (long id : row) {
          if (id >= m.config().vocabSize()) {
            throw new IllegalArgumentException(
                "token id " + id + " is outside the vocabulary of " + m.config().vocabSize());
          }
        }
      }
      NDArray logits = m.function().forward(manager.create(batch), edits.params(m, manager));
      float[] flat = HostCopy.floats(logits);
      int positions = batch[0].length;
      int vocab = m.config().vocabSize();
      float[][][] shaped = new float[batch.length][positions][vocab];
      for (int b = 0; b < batch.length; b++) {
        for (int t = 0; t < positions; t++) {
          System.arraycopy(flat, (b * positions + t) * vocab, shaped[b][t], 0, vocab);
        }
      }
      System.out.println(Json.write(Map.of("logits", shaped)));
    }
  }
}
