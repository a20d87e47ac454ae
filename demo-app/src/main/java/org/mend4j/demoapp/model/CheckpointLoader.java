package org.mend4j.demoapp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fills a {@link Gpt2Model} from a Hugging Face checkpoint directory ({@code config.json} and
 * {@code model.safetensors}).
 *
 * <p>All of the HF naming lives here. Names may carry the {@code transformer.} prefix or not; the
 * LM head is tied to the token embedding unless {@code lm_head.weight} is present. HF stores
 * GPT-2's projections as {@code Conv1D} weights of shape {@code [in, out]} while DJL's {@link
 * Linear} keeps {@code [out, in]}, so they are transposed on the way in.
 */
public final class CheckpointLoader {

  private final SafetensorsFile file;
  private final NDManager manager;
  private final Gpt2Config config;
  private final String prefix;

  private CheckpointLoader(SafetensorsFile file, NDManager manager, Gpt2Config config) {
    this.file = file;
    this.manager = manager;
    this.config = config;
    this.prefix = file.names().contains("transformer.wte.weight") ? "transformer." : "";
  }

  /**
   * Loads the model in {@code dir}.
   *
   * @param dir the checkpoint directory
   * @param manager the manager that will own the weights for the model's lifetime
   * @return the model, with every parameter set and frozen
   * @throws IOException if a file is missing or malformed, or a tensor is missing or misshapen
   */
  public static Gpt2Model load(Path dir, NDManager manager) throws IOException {
    Gpt2Config config = Gpt2Config.read(dir.resolve("config.json"));
    Path weights = dir.resolve("model.safetensors");
    if (!Files.isRegularFile(weights)) {
      throw new IOException("no model.safetensors in " + dir);
    }
    Gpt2Model model = new Gpt2Model(config);
    try (SafetensorsFile file = SafetensorsFile.open(weights)) {
      new CheckpointLoader(file, manager, config).fill(model);
    }
    model.freezeParameters(true);
    return model;
  }

  private void fill(Gpt2Model model) throws IOException {
    int width = config.nEmbd();
    NDArray wte = read(prefix + "wte.weight", config.vocabSize(), width);
    model.wte().setArray(wte);
    model.wpe().setArray(read(prefix + "wpe.weight", config.nPositions(), width));
    boolean untied = file.names().contains("lm_head.weight");
    model.lmHead().setArray(untied ? read("lm_head.weight", config.vocabSize(), width) : wte);
    for (int i = 0; i < config.nLayer(); i++) {
      String h = prefix + "h." + i + ".";
      TransformerBlock block = model.blocks().get(i);
      fillLayerNorm(block.ln1(), h + "ln_1");
      fillLinear(block.attn().cAttn(), h + "attn.c_attn", width, 3 * width);
      fillLinear(block.attn().cProj(), h + "attn.c_proj", width, width);
      fillLayerNorm(block.ln2(), h + "ln_2");
      fillLinear(block.mlp().cFc(), h + "mlp.c_fc", width, config.nInner());
      fillLinear(block.mlp().cProj(), h + "mlp.c_proj", config.nInner(), width);
    }
    fillLayerNorm(model.lnF(), prefix + "ln_f");
  }

  private void fillLinear(Linear linear, String name, int in, int out) throws IOException {
    NDArray conv1dWeight = read(name + ".weight", in, out);
    linear.getParameters().get("weight").setArray(conv1dWeight.transpose());
    linear.getParameters().get("bias").setArray(read(name + ".bias", out));
  }

  /** DJL's LayerNorm learns its normalised shape on initialisation; the values are copied in. */
  private void fillLayerNorm(LayerNorm norm, String name) throws IOException {
    norm.initialize(manager, DataType.FLOAT32, new Shape(1, config.nEmbd()));
    copyInto(norm.getParameters().get("gamma").getArray(), name + ".weight");
    copyInto(norm.getParameters().get("beta").getArray(), name + ".bias");
  }

  private void copyInto(NDArray target, String name) throws IOException {
    try (NDArray value = read(name, config.nEmbd())) {
      target.set(value.toByteBuffer());
    }
  }

  private NDArray read(String name, long... shape) throws IOException {
    Shape expected = new Shape(shape);
    if (!file.names().contains(name)) {
      throw new IOException(
          file.path() + ": no tensor '" + name + "' (expected shape " + expected + ")");
    }
    Shape found = file.shape(name);
    if (!found.equals(expected)) {
      throw new IOException(
          file.path()
              + ": tensor '"
              + name
              + "' has shape "
              + found
              + ", the config implies "
              + expected);
    }
    return file.load(name, manager);
  }
}
