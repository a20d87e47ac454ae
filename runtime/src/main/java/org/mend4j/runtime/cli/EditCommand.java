package org.mend4j.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.mend.MendEditor;
import org.mend4j.runtime.mend.MendEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mend4j edit}: computes one edit and writes its file. */
@Command(
    name = "edit",
    mixinStandardHelpOptions = true,
    description = "Compute a MEND edit (prompt -> target) and write it as FILE.mend.safetensors.")
final class EditCommand implements Runnable {

  @Mixin ModelOption model;
  @Mixin EditorOption editor;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "edit prompt")
  String prompt;

  @Option(names = "--target", required = true, paramLabel = "TEXT", description = "new target")
  String target;

  @Option(names = "--rephrase", paramLabel = "TEXT", description = "a paraphrase (recorded)")
  String rephrase;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "edit file to write")
  Path out;

  @Override
  public void run() {
    if (!out.getFileName().toString().endsWith(EditFile.SUFFIX)) {
      throw new IllegalArgumentException("--out must end with " + EditFile.SUFFIX + ": " + out);
    }
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model m = model.load(manager);
        MendEditor e = editor.load(m, manager)) {
      Edit edit =
          new MendEdits(m, e).edit(List.of(new EditRequest(prompt, target, rephrase)), m.weights());
      EditFile.write(edit, out);
      System.out.println(edit.id());
    }
  }
}
