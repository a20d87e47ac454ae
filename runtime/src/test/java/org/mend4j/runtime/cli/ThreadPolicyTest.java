package org.mend4j.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which commands get which PyTorch threads: the policy per entry point, pinned. */
class ThreadPolicyTest {

  @Test
  void inferenceLeavesOneCoreFreeAndEverythingElseRunsOneThread() {
    Map<String, Integer> onEightCores = new TreeMap<>();
    collect(Main.commandLine(), "", onEightCores);
    assertThat(onEightCores)
        .containsEntry("generate", 7)
        .containsEntry("logits", 7)
        .containsEntry("bench gpt2", 7)
        .containsEntry("bench generate", 7)
        .containsEntry("edit", 1)
        .containsEntry("eval", 1)
        .containsEntry("bench edit", 1)
        .containsEntry("bench compose", 1)
        .containsEntry("train-editor", 1)
        .containsEntry("pretrain", 1)
        .containsEntry("merge", 1);
    assertThat(onEightCores.values().stream().filter(n -> n == 7)).hasSize(4);
  }

  @Test
  void aTwoCoreMachineDecodesOnOneThread() {
    Object generate = Main.commandLine().getSubcommands().get("generate").getCommand();
    assertThat(ThreadPolicy.threads(generate, 2)).isEqualTo(1);
    assertThat(ThreadPolicy.threads(generate, 1)).isEqualTo(1);
  }

  private static void collect(CommandLine cli, String prefix, Map<String, Integer> out) {
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (name.equals("help")) {
                return;
              }
              String full = (prefix + " " + name).trim();
              out.put(full, ThreadPolicy.threads(sub.getCommand(), 8));
              collect(sub, full, out);
            });
  }
}
