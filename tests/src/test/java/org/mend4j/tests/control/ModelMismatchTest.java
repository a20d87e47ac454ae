package org.mend4j.tests.control;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.gpt2.Gpt2Checkpoint;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Init;
import org.mend4j.runtime.gpt2.Gpt2Weights;
import org.mend4j.runtime.service.AdminClient;
import org.mend4j.runtime.service.ServiceProcess;
import org.mend4j.tests.support.AgentRun;
import org.mend4j.tests.support.DemoAppProcess;
import org.mend4j.tests.support.TestPaths;

/**
 * A model directory whose tokenizer knows fewer ids than its model (here a random 50000-id model
 * with the 1000-id tokenizer fixture): what the model generates cannot be read back, which is the
 * set-up's fault, so the agent answers 409 naming the mismatch, not a 500 with a stack trace.
 */
class ModelMismatchTest {

  private static final String TOKEN = "mismatch-token";

  @TempDir Path dir;

  @Test
  void aCompletionTheTokenizerCannotDecodeIsAConflictNamingTheMismatch() throws IOException {
    Gpt2Config config = new Gpt2Config(16, 2, 2, 32, 50_000, 1e-5f, 64, "gelu_new", true, 49_999);
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights weights = Gpt2Init.initialize(config, 11, manager)) {
      Gpt2Checkpoint.save(config, weights.tensors(), dir);
    }
    Files.copy(
        TestPaths.tokenizerFixture().resolve("tokenizer.json"),
        dir.resolve("tokenizer.json"),
        StandardCopyOption.REPLACE_EXISTING);
    int port = ServiceProcess.freePort();
    Map<String, String> args = AgentRun.args(null, null);
    args.put("admin.port", Integer.toString(port));
    args.put("admin.token", TOKEN);
    args.put("control.start.delay.ms", "0");
    args.put("model", dir.toString());
    try (DemoAppProcess app =
        DemoAppProcess.start(dir, "model-mismatch", List.of(AgentRun.javaagent(args)), List.of())) {
      AdminClient admin = new AdminClient(port, TOKEN);
      admin.awaitReady(Duration.ofSeconds(30));
      HttpResponse<String> tried =
          admin.call("POST", "/mend4j/v1/try", "{\"prompt\": \"Hello\", \"max_new_tokens\": 4}");
      assertThat(tried.statusCode()).as(tried.body()).isEqualTo(409);
      assertThat(AdminClient.error(tried))
          .contains("the tokenizer of " + dir + " cannot decode what the model generated")
          .contains("the model's vocabulary of 50000");
      assertThat(Files.readString(app.log())).doesNotContain("ERROR");
    }
  }
}
