package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.edit.Fingerprint;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Params;
import picocli.CommandLine.Option;

/** The repeatable {@code --edit FILE} option: run the model with edit files applied in order. */
final class EditsOption {

  @Option(
      names = "--edit",
      paramLabel = "FILE",
      description = "apply this edit file (repeatable; applied in order)")
  List<Path> files = List.of();

  /** The model's parameters with the edits applied (the base when there are none). */
  Gpt2Params params(Gpt2Model model, NDManager manager) {
    if (files.isEmpty()) {
      return model.weights();
    }
    return EditedParams.of(
        model.weights(),
        files.stream().map(EditFile::read).toList(),
        name -> Fingerprint.of(model.weights().base(name)),
        manager);
  }
}
