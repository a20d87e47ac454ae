package org.mend4j.demoapp.generation;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.nlp.generate.CausalLMOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.zoo.nlp.textgeneration.PtGptTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.mend4j.demoapp.model.Gpt2Config;

/**
 * Generates with a GPT-2 traced to TorchScript, the way DJL serves GPT-2: the model is loaded with
 * {@link Model#load(Path)} as a {@code PtSymbolBlock}, and DJL's {@link PtGptTranslator} carries
 * the key/value cache in and out of the traced module (its inputs are the new tokens, their
 * positions, the attention mask and the past keys and values; its outputs the logits and the
 * present keys and values).
 *
 * <p>Thread-safe: each call opens its own {@link Predictor}, whose manager owns everything the call
 * allocates, and frees each step's cache when the next one replaces it.
 */
public final class TorchScriptGenerator implements TokenGenerator, AutoCloseable {

  private final Model model;
  private final Gpt2Config config;

  private TorchScriptGenerator(Model model, Gpt2Config config) {
    this.model = model;
    this.config = config;
  }

  /** Whether {@code dir} holds a traced model as DJL looks for it ({@code DIR.pt} or model.pt). */
  public static boolean isTorchScript(Path dir) {
    return Files.isRegularFile(tracedFile(dir)) || Files.isRegularFile(dir.resolve("model.pt"));
  }

  /**
   * Loads the traced model and its {@code config.json}.
   *
   * @param dir a directory with the traced module and the checkpoint's config
   * @return the generator, owning the model
   * @throws IOException if a file is missing or is not a TorchScript module
   */
  public static TorchScriptGenerator load(Path dir) throws IOException {
    Gpt2Config config = Gpt2Config.read(dir.resolve("config.json"));
    String name = Files.isRegularFile(tracedFile(dir)) ? dir.getFileName().toString() : "model";
    Model model = Model.newInstance(name, "PyTorch");
    try {
      model.load(dir, name);
      return new TorchScriptGenerator(model, config);
    } catch (MalformedModelException | RuntimeException e) {
      model.close();
      throw new IOException(dir + ": not a TorchScript GPT-2: " + e.getMessage(), e);
    }
  }

  private static Path tracedFile(Path dir) {
    return dir.resolve(dir.getFileName() + ".pt");
  }

  @Override
  public int contextLength() {
    return config.nPositions();
  }

  @Override
  public long[] generate(long[] prompt, int maxNewTokens, NextToken next) {
    TokenGenerator.checkFits(prompt, maxNewTokens, contextLength());
    PtGptTranslator translator =
        new PtGptTranslator(config.headDim(), config.nHead(), config.nLayer());
    long[] generated = new long[maxNewTokens];
    int count = 0;
    try (Predictor<NDList, CausalLMOutput> predictor = model.newPredictor(translator);
        NDManager request = model.getNDManager().newSubManager()) {
      long[] input = prompt;
      int past = 0;
      NDList cache = null;
      while (count < maxNewTokens) {
        NDList inputs = stepInputs(request, input, past, cache);
        CausalLMOutput output = predictor.predict(inputs);
        float[] logits = output.getLogits().get(0, input.length - 1).toFloatArray();
        inputs.forEach(NDArray::close);
        output.getLogits().close();
        output.getHiddenState().close();
        cache = output.getPastKeyValuesList();
        past += input.length;
        long token = next.choose(logits);
        if (token == config.eosTokenId()) {
          break;
        }
        generated[count++] = token;
        input = new long[] {token};
      }
    } catch (TranslateException e) {
      throw new IllegalStateException("the traced model failed: " + e.getMessage(), e);
    }
    return Arrays.copyOf(generated, count);
  }

  /** The new tokens, their positions, a mask over past and new tokens, and the cache if any. */
  private static NDList stepInputs(NDManager manager, long[] input, int past, NDList cache) {
    long[] positions = new long[input.length];
    for (int i = 0; i < input.length; i++) {
      positions[i] = past + i;
    }
    long[] mask = new long[past + input.length];
    Arrays.fill(mask, 1);
    NDList inputs =
        new NDList(
            manager.create(input, new Shape(1, input.length)),
            manager.create(positions, new Shape(1, input.length)),
            manager.create(mask, new Shape(1, mask.length)));
    if (cache != null) {
      inputs.addAll(cache);
    }
    return inputs;
  }

  /** Frees the model. */
  @Override
  public void close() {
    model.close();
  }
}
