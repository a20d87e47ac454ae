package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.mend4j.runtime.gpt2.Gpt2Model;
import picocli.CommandLine.Option;

/** The {@code --model DIR} option shared by commands that run a checkpoint. */
final class ModelOption {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "HF GPT-2 checkpoint directory (config.json, model.safetensors, tokenizer files)")
  Path dir;

  Gpt2Model load(NDManager manager) {
    return Gpt2Model.load(dir, manager);
  }
}
