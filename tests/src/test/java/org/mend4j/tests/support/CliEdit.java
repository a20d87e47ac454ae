package org.mend4j.tests.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mend4j.runtime.data.CounterFactRecord;

/** Makes an edit file the way a user does: {@code ./mend4j edit} in a child process. */
public final class CliEdit {

  private CliEdit() {}

  /**
   * Runs {@code ./mend4j edit} for a fact (its prompt, new target and rephrase) and asserts it
   * succeeded.
   *
   * @param model the checkpoint the edit is computed on
   * @param editor the MEND editor
   * @param fact the fact to edit
   * @param out the edit file to write
   */
  public static void run(Path model, Path editor, CounterFactRecord fact, Path out)
      throws Exception {
    List<String> command =
        List.of(
            TestPaths.repoRoot().resolve("mend4j").toString(),
            "edit",
            "--model",
            model.toString(),
            "--editor",
            editor.toString(),
            "--prompt",
            fact.prompt(),
            "--target",
            fact.targetNew(),
            "--rephrase",
            fact.rephrasePrompt(),
            "--out",
            out.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(log).isZero();
  }
}
