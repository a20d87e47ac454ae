package org.mend4j.runtime.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mend4j demo}: the whole product in one minute, on the shipped world model. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start demo-app (an ordinary DJL GPT-2 service) with the mend4j agent, edit a fact"
            + " through the admin API, show the A/B variant and the edit disabled; exit 0 only if"
            + " every step behaved.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--model", defaultValue = "models/world-gpt2", description = "model directory")
  Path model;

  @Option(names = "--editor", defaultValue = "models/world-gpt2-mend", description = "editor")
  Path editor;

  @Option(
      names = "--served",
      description =
          "the model directory demo-app serves (default: --model), e.g."
              + " models/world-gpt2-torchscript for a TorchScript host")
  Path served;

  @Option(
      names = "--case",
      defaultValue = "24",
      description =
          "which record of data/world/edits-test.json to edit (default: ${DEFAULT-VALUE})")
  int caseIndex;

  @Option(
      names = "--more",
      defaultValue = "5",
      description = "further facts edited in a row afterwards (default: ${DEFAULT-VALUE})")
  int more;

  @Override
  public Integer call() {
    Path home = Path.of(System.getProperty("mend4j.home", ".")).toAbsolutePath().normalize();
    List<EditCase> cases = EasyEditJson.readEditCases(home.resolve("data/world/edits-test.json"));
    if (caseIndex < 0 || caseIndex >= cases.size()) {
      throw new IllegalArgumentException("--case must be in 0.." + (cases.size() - 1));
    }
    try {
      Path work = Files.createTempDirectory("mend4j-demo");
      Path checkpoint = home.resolve(model);
      Path servedDir = served == null ? checkpoint : home.resolve(served);
      return new Demo(home, servedDir, checkpoint, home.resolve(editor), work)
          .run(cases.get(caseIndex), following(cases, caseIndex, more), System.out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code n} records after {@code index} that each edit a fact of their own. */
  static List<EditCase> following(List<EditCase> cases, int index, int n) {
    Set<String> facts = new HashSet<>();
    List<EditCase> out = new ArrayList<>();
    facts.add(cases.get(index).subject() + "\n" + cases.get(index).rephrasePrompt());
    for (int i = index + 1; i < cases.size() && out.size() < n; i++) {
      if (facts.add(cases.get(i).subject() + "\n" + cases.get(i).rephrasePrompt())) {
        out.add(cases.get(i));
      }
    }
    return out;
  }
}
