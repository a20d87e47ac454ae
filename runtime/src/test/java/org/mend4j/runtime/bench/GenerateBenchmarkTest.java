package org.mend4j.runtime.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.gpt2.Gpt2Checkpoint;
import org.mend4j.runtime.gpt2.Gpt2Config;

/**
 * bench generate's harness: the random checkpoint it writes, the processes it runs (here a stand-in
 * launcher that answers as {@code mend4j generate --json} does) and the figures it reports.
 */
class GenerateBenchmarkTest {

  private static final Gpt2Config TINY =
      new Gpt2Config(16, 2, 2, 64, 50, 1e-5f, 64, "gelu_new", true, 49);

  @TempDir Path dir;

  @Test
  void theRandomCheckpointIsWrittenOnceAndRewrittenForAnotherConfig() throws IOException {
    Path model = RandomCheckpoint.at(dir.resolve("random"), TINY, 1);
    Path weights = model.resolve(Gpt2Checkpoint.WEIGHTS_FILE);
    Files.setLastModifiedTime(weights, FileTime.fromMillis(0));
    assertThat(RandomCheckpoint.at(model, TINY, 1)).isEqualTo(model);
    assertThat(Files.getLastModifiedTime(weights).toMillis()).isZero();
    Gpt2Config wider = new Gpt2Config(32, 2, 2, 64, 50, 1e-5f, 128, "gelu_new", true, 49);
    RandomCheckpoint.at(model, wider, 1);
    assertThat(Gpt2Config.read(model.resolve(Gpt2Checkpoint.CONFIG_FILE))).isEqualTo(wider);
    assertThat(Files.list(dir).toList()).containsExactly(model);
  }

  @Test
  void runsWholeProcessesAtBothLengthsBesideTheInProcessDecode() throws IOException {
    Path model = RandomCheckpoint.at(dir.resolve("random"), TINY, 1);
    Path calls = dir.resolve("calls.txt");
    Path launcher = launcher("", calls);
    Map<String, Object> r =
        new GenerateBenchmark(launcher, model, new long[] {1, 2, 3}, 2, 6, 2).run();
    assertThat(Files.readAllLines(calls))
        .containsExactly(
            "generate --model " + model + " --input-ids 1,2,3 --max-new-tokens 6 --json",
            "generate --model " + model + " --input-ids 1,2,3 --max-new-tokens 2 --json",
            "generate --model " + model + " --input-ids 1,2,3 --max-new-tokens 6 --json",
            "generate --model " + model + " --input-ids 1,2,3 --max-new-tokens 2 --json");
    assertThat(r)
        .containsKeys(
            "generate_ms_per_token", "bench_ms_per_token", "generate_over_bench", "torch_threads");
    assertThat((List<?>) r.get("bench_ms_per_token_rounds")).hasSize(2);
    assertThat((double) r.get("bench_ms_per_token")).isPositive();
  }

  @Test
  void aRunThatStopsEarlyIsAClearError() throws IOException {
    Path model = RandomCheckpoint.at(dir.resolve("random"), TINY, 1);
    Path launcher = launcher("n=1; ", dir.resolve("calls.txt"));
    assertThatThrownBy(
            () -> new GenerateBenchmark(launcher, model, new long[] {1, 2, 3}, 2, 6, 1).run())
        .hasMessageContaining("generate produced 1 tokens, not 6");
  }

  @Test
  void theFiguresAreMediansOfTheRounds() {
    Map<String, Object> f =
        GenerateBenchmark.figures(
            new double[] {0.050, 0.040, 0.045}, new double[] {0.040, 0.044, 0.042});
    assertThat(f.get("generate_ms_per_token")).isEqualTo(45.0);
    assertThat(f.get("bench_ms_per_token")).isEqualTo(42.0);
    assertThat((double) f.get("generate_over_bench"))
        .isEqualTo(Math.round(45.0 / 42 * 1000) / 1000.0);
  }

  /**
   * A stand-in for {@code ./mend4j}: logs its arguments and prints {@code output_ids} of the prompt
   * (3 ids) and {@code n} new tokens, where {@code n} is {@code --max-new-tokens} unless {@code
   * override} sets it.
   */
  private Path launcher(String override, Path calls) throws IOException {
    Path script = dir.resolve("mend4j");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "echo \"$@\" >> "
            + calls
            + "\n"
            + "n=$7; "
            + override
            + "ids=1,2,3; i=0; while [ $i -lt $n ]; do ids=$ids,7; i=$((i+1)); done\n"
            + "echo \"{\\\"output_ids\\\": [$ids]}\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }
}
