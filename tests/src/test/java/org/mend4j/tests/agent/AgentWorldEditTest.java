package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.CliEdit;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestPaths;

/**
 * The scenario on the knowledge world: an edit made by {@code ./mend4j edit} with the
 * trained editor for a test-split fact, served by demo-app through the agent. The edit prompt now
 * completes with {@code target_new}, the rephrase as the edited model answers it, an unrelated fact
 * as before, and demo-app without the agent still answers the original fact.
 *
 * <p>Runs when {@code models/world-gpt2} and {@code models/world-gpt2-mend} exist (or under the
 * directory named by {@code -Dmend4j.world.models}); MEND does not succeed on every fact, so the
 * first of the test split's first 20 records that the edited functional model gets right is used.
 */
@EnabledIf("worldModelsPresent")
class AgentWorldEditTest {

  private static final int NEW_TOKENS = 4;
  private static final int CANDIDATES = 20;

  @TempDir Path tmp;

  static Path models() {
    String dir = System.getProperty("mend4j.world.models");
    return dir != null ? Path.of(dir) : TestPaths.repoRoot().resolve("models");
  }

  static boolean worldModelsPresent() {
    return Files.isRegularFile(models().resolve("world-gpt2/model.safetensors"))
        && Files.isRegularFile(models().resolve("world-gpt2-mend/editor.safetensors"));
  }

  @Test
  void demoAppAnswersTheEditedFactThroughTheAgent() throws Exception {
    Path model = models().resolve("world-gpt2");
    Path editor = models().resolve("world-gpt2-mend");
    List<CounterFactRecord> records =
        EasyEditJson.readCounterFact(TestPaths.repoRoot().resolve("data/world/edits-test.json"));
    CounterFactRecord fact = null;
    try (ReferenceModel reference = ReferenceModel.load(model)) {
      for (CounterFactRecord r : records.subList(0, Math.min(CANDIDATES, records.size()))) {
        Edit edit = reference.mendEdit(editor, request(r));
        if (reference
            .complete(r.prompt(), NEW_TOKENS, List.of(edit))
            .trim()
            .startsWith(r.targetNew())) {
          fact = r;
          break;
        }
      }
      assertThat(fact)
          .as("MEND succeeds on one of the first %d test facts (functional model)", CANDIDATES)
          .isNotNull();
      Path edits = Files.createDirectories(tmp.resolve("edits"));
      Path file = edits.resolve("fact" + EditFile.SUFFIX);
      CliEdit.run(model, editor, fact, file);
      Edit edit = EditFile.read(file);
      List<String> prompts = List.of(fact.prompt(), fact.rephrasePrompt(), fact.localityPrompt());
      List<String> expected = new ArrayList<>();
      for (String p : prompts) {
        expected.add(reference.complete(p, NEW_TOKENS, List.of(edit)));
      }
      List<String> plain =
          DemoAppProcess.answers(model, prompts, NEW_TOKENS, List.of(), "world-no-agent");
      List<String> edited =
          DemoAppProcess.answers(
              model,
              prompts,
              NEW_TOKENS,
              List.of(AgentRun.javaagent(AgentRun.args(edits, null))),
              "world-agent");
      for (int i = 0; i < prompts.size(); i++) {
        System.out.printf(
            "%s%n  without agent: %s%n  with agent:    %s%n",
            prompts.get(i), plain.get(i), edited.get(i));
      }
      assertThat(plain.get(0).trim()).doesNotStartWith(fact.targetNew());
      assertThat(plain.get(0)).isEqualTo(reference.complete(fact.prompt(), NEW_TOKENS, List.of()));
      assertThat(edited.get(0).trim()).startsWith(fact.targetNew());
      assertThat(edited).isEqualTo(expected);
      if (expected.get(1).trim().startsWith(fact.targetNew())) {
        assertThat(edited.get(1).trim()).as("rephrase").startsWith(fact.targetNew());
      }
      if (expected
          .get(2)
          .equals(reference.complete(fact.localityPrompt(), NEW_TOKENS, List.of()))) {
        assertThat(edited.get(2)).as("unrelated fact").isEqualTo(plain.get(2));
      }
    }
  }

  private static EditRequest request(CounterFactRecord r) {
    return new EditRequest(r.prompt(), r.targetNew(), r.rephrasePrompt());
  }
}
