package org.mend4j.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mend4j.tests.support.MendCli;
import org.mend4j.tests.support.TestPaths;

/**
 * The runtime logs through SLF4J, and {@code ./mend4j} prints it on standard error: by default only
 * what a user should know (here: a checkpoint without tokenizer files is read with GPT-2's own
 * vocabulary), and with {@code MEND4J_JAVA_OPTS=-Dorg.slf4j.simpleLogger.log.org.mend4j=debug} also
 * what was loaded and how the command's threads were set.
 */
class CliLoggingTest {

  private static final String[] GENERATE = {
    "generate",
    "--model",
    TestPaths.referenceModel().toString(),
    "--input-ids",
    "5,17,256",
    "--max-new-tokens",
    "2"
  };

  @Test
  void byDefaultOnlyNotesForTheUserAreLogged() throws IOException, InterruptedException {
    String out = MendCli.run(GENERATE);
    assertThat(out)
        .contains(
            "INFO org.mend4j.runtime.gpt2.tokenizer.R50kTokenizer - "
                + TestPaths.referenceModel()
                + " has no tokenizer files")
        .doesNotContain("DEBUG");
  }

  @Test
  void debugLoggingIsOneJavaOptionAway() throws IOException, InterruptedException {
    String out =
        MendCli.run(
            Map.of("MEND4J_JAVA_OPTS", "-Dorg.slf4j.simpleLogger.log.org.mend4j=debug"), GENERATE);
    assertThat(out)
        .contains("DEBUG org.mend4j.runtime.cli.ThreadPolicy - PyTorch threads:")
        .contains(
            "DEBUG org.mend4j.runtime.gpt2.Gpt2Checkpoint - loaded "
                + TestPaths.referenceModel()
                + ":");
  }
}
