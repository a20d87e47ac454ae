package org.mend4j.runtime.cli;

import org.mend4j.runtime.eval.FineTuneMethod;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.MendEditor;
import picocli.CommandLine.Option;

/** The fine-tuning baseline's options, shared by {@code eval} and {@code bench edit}. */
final class FineTuneOptions {

  @Option(names = "--ft-steps", defaultValue = "100", description = "FT step budget per edit")
  int steps;

  @Option(names = "--ft-lr", defaultValue = "1e-3", description = "FT learning rate")
  double learningRate;

  /** FT-L on the same inner weights the editor edits. */
  FineTuneMethod method(Gpt2Model model, MendEditor editor) {
    return new FineTuneMethod(model, editor.innerParams(), learningRate, steps);
  }
}
