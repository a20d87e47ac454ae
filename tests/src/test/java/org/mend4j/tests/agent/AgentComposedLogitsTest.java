package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.LogitsProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.WorldFacts;

/**
 * With 100 composed edits (the world's test facts, each made on the model with the earlier ones
 * active), the host's logits under the agent equal {@code FunctionalGpt2}'s with the same edits
 * within 1e-4: the agent's composition and gated hook compute what the runtime computes.
 */
@EnabledIf("org.mend4j.tests.support.WorldFacts#present")
class AgentComposedLogitsTest {

  private static final int EDITS = 100;

  @TempDir Path tmp;

  @Test
  void theHostsLogitsWithOneHundredComposedEditsEqualTheFunctionalModels() throws IOException {
    List<CounterFactRecord> facts = WorldFacts.oneRecordPerFact(EDITS);
    try (ReferenceModel reference = ReferenceModel.load(WorldFacts.model())) {
      List<EditRequest> requests = facts.stream().map(WorldFacts::request).toList();
      List<Edit> edits = reference.mendEdits(WorldFacts.editor(), requests);
      long[][] ids = sameLength(reference, facts);
      Path dir = AgentRun.editDir(tmp, "edits", edits.toArray(Edit[]::new));
      Path status = tmp.resolve("status.json");
      Map<String, String> args = AgentRun.args(dir, status);
      args.put("status.interval.ms", "20");
      float[] expected = reference.logits(ids, edits);
      float[] base = reference.logits(ids, List.of());
      LogitsProcess.Result r =
          LogitsProcess.run(
              WorldFacts.model(), ids, List.of(AgentRun.javaagent(args)), "composed-100");
      assertThat(AgentLogitsTest.maxAbsDiff(r.logits(), expected)).isLessThan(1e-4);
      assertThat(AgentLogitsTest.maxAbsDiff(r.logits(), base))
          .as("the edits matter")
          .isGreaterThan(1);
      JsonObject s =
          AgentRun.awaitStatus(
              status, j -> AgentRun.counter(j, "edited_calls") > 0, Duration.ofSeconds(5));
      assertThat(AgentRun.counter(s, "merged_calls")).as("gated rows are never merged").isZero();
      assertThat(AgentRun.counter(s, "suppressed_errors")).isZero();
    }
  }

  /** Three edited prompts of one token length (so that they form one batch). */
  private static long[][] sameLength(ReferenceModel reference, List<CounterFactRecord> facts) {
    Map<Integer, List<long[]>> byLength = new java.util.HashMap<>();
    for (CounterFactRecord f : facts) {
      long[] ids = reference.model().encode(f.prompt());
      List<long[]> group = byLength.computeIfAbsent(ids.length, k -> new ArrayList<>());
      group.add(ids);
      if (group.size() == 3) {
        return group.toArray(long[][]::new);
      }
    }
    throw new AssertionError("no three edited prompts of one length");
  }
}
