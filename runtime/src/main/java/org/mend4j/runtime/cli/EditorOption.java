package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.MendEditor;
import picocli.CommandLine.Option;

/** The {@code --editor DIR} option of commands that edit. */
final class EditorOption {

  @Option(
      names = "--editor",
      required = true,
      paramLabel = "DIR",
      description = "MEND editor directory (editor.safetensors, hparams.json)")
  Path dir;

  MendEditor load(Gpt2Model model, NDManager manager) {
    return MendEditor.load(dir, model.config(), manager);
  }
}
