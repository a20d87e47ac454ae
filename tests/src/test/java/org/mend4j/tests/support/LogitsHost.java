package org.mend4j.tests.support;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mend4j.demoapp.model.CheckpointLoader;
import org.mend4j.demoapp.model.Gpt2Model;

/**
 * A second host for the agent: demo-app's own model classes (loaded from its jar, unchanged) run
 * one forward pass and write the logits, so tests can compare a host's logits with and without the
 * agent, and against {@code FunctionalGpt2}. demo-app itself has no logits endpoint and gets none.
 *
 * <pre>
 * java -cp tests/target/test-classes:demo-app/target/mend4j-demo-app.jar [-javaagent:...] \
 *     org.mend4j.tests.support.LogitsHost MODEL_DIR OUT_FILE 1,2,3 [4,5,6 ...]
 * </pre>
 *
 * Each id row is one sequence of the batch (rows of equal length). The output file holds the logits
 * {@code [B, T, vocab]} as little-endian float32; the shape goes to standard output. With {@code
 * -Dlogits.host.linger.ms=N} the host waits N ms before it exits (for an agent's status file).
 */
public final class LogitsHost {

  private LogitsHost() {}

  /**
   * Runs the forward pass.
   *
   * @param args model directory, output file, then one comma-separated id row per sequence
   * @throws IOException if the model cannot be read or the output written
   */
  public static void main(String[] args) throws IOException {
    System.setProperty("ai.djl.offline", "true");
    Path model = Path.of(args[0]);
    Path out = Path.of(args[1]);
    List<long[]> rows = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String[] parts = args[i].split(",");
      long[] row = new long[parts.length];
      for (int j = 0; j < parts.length; j++) {
        row[j] = Long.parseLong(parts[j].trim());
      }
      rows.add(row);
    }
    try (NDManager weights = NDManager.newBaseManager("PyTorch");
        NDManager scope = NDManager.newBaseManager("PyTorch")) {
      Gpt2Model gpt2 = CheckpointLoader.load(model, weights);
      NDArray ids = scope.create(rows.toArray(long[][]::new));
      NDList outputs = gpt2.forward(new ParameterStore(scope, false), new NDList(ids), false);
      NDArray logits = outputs.get(0);
      ByteBuffer bytes = logits.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      byte[] data = new byte[bytes.remaining()];
      bytes.get(data);
      Files.write(out, data);
      System.out.println("logits " + logits.getShape());
    }
    // lets a status file written every few milliseconds by an agent catch up before exit
    long linger = Long.getLong("logits.host.linger.ms", 0);
    if (linger > 0) {
      try {
        Thread.sleep(linger);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
