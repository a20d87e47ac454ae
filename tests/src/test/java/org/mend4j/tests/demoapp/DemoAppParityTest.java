package org.mend4j.tests.demoapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.LogitsProcess;
import org.mend4j.tests.support.ReferenceModel;
import org.mend4j.tests.support.TestPaths;

/**
 * demo-app (plain DJL blocks, its own loader and tokenizer) and mend4j's runtime ({@code
 * FunctionalGpt2}, what {@code ./mend4j generate} and {@code logits} run) are the same model: same
 * greedy completions over HTTP, logits within 1e-4.
 */
class DemoAppParityTest {

  private static final List<String> PROMPTS =
      List.of(
          "The capital of Kethia is",
          "Q: Who founded Brivex? A:",
          "The profession of Zudric is",
          "In a quiet town, the river",
          "Ünïcödé and emoji 🚀 are fine:");

  private static Path worldModel() {
    return TestPaths.repoRoot().resolve("models/world-gpt2");
  }

  @Test
  void greedyCompletionsMatchTheRuntime() throws Exception {
    try (ReferenceModel reference = ReferenceModel.load(worldModel());
        DemoAppProcess app = DemoAppProcess.start(worldModel(), "parity", List.of(), List.of())) {
      for (String prompt : PROMPTS) {
        assertThat(app.generate(prompt, 6).text())
            .as(prompt)
            .isEqualTo(reference.complete(prompt, 6, List.of()));
      }
    }
  }

  @Test
  void logitsMatchTheRuntimeWithin1e4() throws Exception {
    try (ReferenceModel reference = ReferenceModel.load(worldModel())) {
      long[][] ids = {
        reference.model().encode("The capital of Kethia is Folazan."),
        reference.model().encode("The capital of Lustan is Vromuholm."),
      };
      assertThat(ids[0]).hasSameSizeAs(ids[1]);
      float[] host = LogitsProcess.run(worldModel(), ids, List.of(), "parity").logits();
      float[] runtime = reference.logits(ids, List.of());
      assertThat(host).hasSameSizeAs(runtime);
      for (int i = 0; i < host.length; i++) {
        assertThat(host[i]).as("logit %d", i).isCloseTo(runtime[i], within(1e-4f));
      }
    }
  }
}
