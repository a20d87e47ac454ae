package org.mend4j.tests.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.merge.CheckpointMerge;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.WorldFacts;

/**
 * demo-app, unmodified and without the agent, on a checkpoint made by {@code mend4j merge}, against
 * demo-app with the agent and the same edit files on the original checkpoint. Edits made by an
 * editor without key statistics compose by summation, which a dense weight holds exactly: every
 * answer is the same. The shipped editor's edits are composed with gates, which a dense weight
 * cannot hold: every edit prompt and every unrelated fact answers the same, and the paraphrases'
 * agreement is printed.
 */
class MergedCheckpointTest {

  private static final int EDITS = 6;
  private static final int NEW_TOKENS = 6;

  @TempDir Path tmp;

  @Test
  void summableEditsServeIdenticallyFromTheMergedCheckpoint() throws IOException {
    Path editor = Files.createDirectories(tmp.resolve("editor-without-key-statistics"));
    for (String f : List.of("editor.safetensors", "hparams.json")) {
      Files.copy(WorldFacts.editor().resolve(f), editor.resolve(f));
    }
    Served served = serve(editor);
    assertThat(served.merged()).isEqualTo(served.agent());
  }

  @Test
  void composedEditsAnswerTheSameFromTheMergedCheckpoint() throws IOException {
    Served served = serve(WorldFacts.editor());
    int rephrases = 0;
    for (int i = 0; i < served.prompts().size(); i++) {
      String agent = answer(served.agent().get(i));
      String merged = answer(served.merged().get(i));
      if (i % 3 == 1) {
        rephrases += agent.equals(merged) ? 1 : 0;
      } else {
        assertThat(merged).as(served.prompts().get(i)).isEqualTo(agent);
      }
    }
    System.out.printf(
        "answers identical: every edit prompt and unrelated fact, %d of %d rephrases%n",
        rephrases, EDITS);
  }

  /** The edit prompt, rephrase and unrelated prompt of each record, as served both ways. */
  private record Served(List<String> prompts, List<String> agent, List<String> merged) {}

  private Served serve(Path editor) throws IOException {
    List<CounterFactRecord> records = WorldFacts.oneRecordPerSubject(EDITS);
    Path edits = Files.createDirectories(tmp.resolve("edits"));
    List<Path> files = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    try (ReferenceModel reference = ReferenceModel.load(WorldFacts.model())) {
      for (int i = 0; i < records.size(); i++) {
        CounterFactRecord r = records.get(i);
        Edit edit = reference.mendEdit(editor, WorldFacts.request(r));
        Path file = edits.resolve(String.format("%02d-%s%s", i, edit.id(), EditFile.SUFFIX));
        EditFile.write(edit, file);
        files.add(file);
        prompts.addAll(List.of(r.prompt(), r.rephrasePrompt(), r.localityPrompt()));
      }
    }
    Path merged = tmp.resolve("merged");
    CheckpointMerge.merge(WorldFacts.model(), files, merged);
    List<String> withAgent =
        DemoAppProcess.answers(
            WorldFacts.model(),
            prompts,
            NEW_TOKENS,
            List.of(AgentRun.javaagent(AgentRun.args(edits, null))),
            "merge-agent");
    List<String> fromMerged =
        DemoAppProcess.answers(merged, prompts, NEW_TOKENS, List.of(), "merge-merged");
    for (int i = 0; i < prompts.size(); i++) {
      System.out.printf(
          "%s%n  agent:  %s%n  merged: %s%n", prompts.get(i), withAgent.get(i), fromMerged.get(i));
    }
    return new Served(prompts, withAgent, fromMerged);
  }

  /** The answer of a world-model completion: its text before the first period. */
  private static String answer(String completion) {
    int end = completion.indexOf('.');
    return (end < 0 ? completion : completion.substring(0, end)).trim();
  }
}
