package org.mend4j.demoapp;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mend4j.demoapp.generation.Generator;
import org.mend4j.demoapp.generation.TokenGenerator;
import org.mend4j.demoapp.generation.TorchScriptGenerator;
import org.mend4j.demoapp.model.CheckpointLoader;
import org.mend4j.demoapp.model.Gpt2Model;
import org.mend4j.demoapp.text.Gpt2Tokenizer;

/**
 * A model directory loaded for serving: its generator and its tokenizer, freed together.
 *
 * <p>The directory is either a Hugging Face checkpoint, built into DJL blocks, or a GPT-2 traced to
 * TorchScript ({@code DIR.pt} or {@code model.pt}, with the checkpoint's config and tokenizer
 * files), loaded as DJL loads TorchScript. A checkpoint's weights live in one manager for the life
 * of the model; requests allocate under a second one, so their temporaries can never pile up next
 * to the weights.
 *
 * <p>This is the service's inference side without its HTTP server, so that another front (another
 * web framework, a plugin host) serves the same model the same way.
 */
public final class LoadedModel implements AutoCloseable {

  private final TokenGenerator generator;
  private final Gpt2Tokenizer tokenizer;
  private final Runnable free;

  private LoadedModel(TokenGenerator generator, Gpt2Tokenizer tokenizer, Runnable free) {
    this.generator = generator;
    this.tokenizer = tokenizer;
    this.free = free;
  }

  /**
   * Loads the model and the tokenizer of a directory.
   *
   * @param dir a GPT-2 checkpoint or TorchScript directory
   * @return the loaded model, owning everything it allocated
   * @throws IOException if the directory is missing, or a file in it is missing or unreadable
   */
  public static LoadedModel load(Path dir) throws IOException {
    dir = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IOException(
          "model directory "
              + dir
              + " does not exist; pass --model DIR with a GPT-2 checkpoint"
              + " (config.json, model.safetensors, tokenizer.json or vocab.json + merges.txt) or a"
              + " TorchScript GPT-2 (DIR.pt with the same config and tokenizer files)");
    }
    if (TorchScriptGenerator.isTorchScript(dir)) {
      TorchScriptGenerator generator = TorchScriptGenerator.load(dir);
      return withTokenizer(generator, generator::close, dir);
    }
    NDManager weights = NDManager.newBaseManager("PyTorch");
    NDManager requests = NDManager.newBaseManager("PyTorch");
    Runnable free =
        () -> {
          requests.close();
          weights.close();
        };
    try {
      Gpt2Model model = CheckpointLoader.load(dir, weights);
      return withTokenizer(new Generator(model, requests), free, dir);
    } catch (IOException | RuntimeException e) {
      free.run();
      throw e;
    }
  }

  private static LoadedModel withTokenizer(TokenGenerator generator, Runnable free, Path dir)
      throws IOException {
    try {
      return new LoadedModel(generator, Gpt2Tokenizer.load(dir), free);
    } catch (IOException | RuntimeException e) {
      free.run();
      throw e;
    }
  }

  /** The generator, shared by every request. */
  public TokenGenerator generator() {
    return generator;
  }

  /** The tokenizer, shared by every request. */
  public Gpt2Tokenizer tokenizer() {
    return tokenizer;
  }

  /** Frees the tokenizer and the model. */
  @Override
  public void close() {
    tokenizer.close();
    free.run();
  }
}
