package org.mend4j.demoapp.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.mend4j.demoapp.model.Gpt2Model;

/**
 * Generates tokens one at a time, feeding back the model's key/value cache so each step runs only
 * the new token through the network.
 *
 * <p>Thread-safe: the model is only read, and every call works in its own sub-manager of the root
 * manager (never in the model's), so nothing a request allocates outlives it. Arrays of one step
 * are freed when the step ends; only the cache is carried to the next.
 */
public final class Generator implements TokenGenerator {

  private final Gpt2Model model;
  private final NDManager root;

  /**
   * Creates a generator.
   *
   * @param model the loaded model
   * @param root the manager under which each call opens its own sub-manager
   */
  public Generator(Gpt2Model model, NDManager root) {
    this.model = model;
    this.root = root;
  }

  /** The model generated with. */
  public Gpt2Model model() {
    return model;
  }

  @Override
  public int contextLength() {
    return model.config().nPositions();
  }

  @Override
  public long[] generate(long[] prompt, int maxNewTokens, NextToken next) {
    TokenGenerator.checkFits(prompt, maxNewTokens, contextLength());
    long eos = model.config().eosTokenId();
    long[] generated = new long[maxNewTokens];
    int count = 0;
    try (NDManager request = root.newSubManager()) {
      ParameterStore parameters = new ParameterStore(request, false);
      NDList cache = new NDList();
      long[] input = prompt;
      while (count < maxNewTokens) {
        float[] logits;
        try (NDManager step = request.newSubManager()) {
          NDList inputs = new NDList(step.create(input, new Shape(1, input.length)));
          inputs.addAll(cache);
          NDList outputs = model.forward(parameters, inputs, false);
          logits = outputs.get(0).get(0, input.length - 1).toFloatArray();
          NDList present = outputs.subNDList(1);
          present.forEach(a -> a.attach(request));
          cache.forEach(NDArray::close);
          cache = present;
        }
        long token = next.choose(logits);
        if (token == eos) {
          break;
        }
        generated[count++] = token;
        input = new long[] {token};
      }
    }
    return Arrays.copyOf(generated, count);
  }
}
