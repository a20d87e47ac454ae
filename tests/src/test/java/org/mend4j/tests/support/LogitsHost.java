package org.mend4j.tests.support;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.mend4j.demoapp.generation.TorchScriptGenerator;
import org.mend4j.demoapp.model.CheckpointLoader;
import org.mend4j.demoapp.model.Gpt2Config;

/**
 * A second host for the agent: demo-app's own model classes (loaded from its jar, unchanged), or a
 * traced GPT-2 loaded as DJL loads TorchScript, run one forward pass and write the logits, so tests
 * can compare a host's logits with and without the agent, and against {@code FunctionalGpt2}.
 * demo-app itself has no logits endpoint and gets none.
 *
 * <pre>
 * java -cp tests/target/test-classes:demo-app/target/mend4j-demo-app.jar [-javaagent:...] \
 *     org.mend4j.tests.support.LogitsHost MODEL_DIR OUT_FILE 1,2,3 [4,5,6 ...]
 * </pre>
 *
 * Each id row is one sequence of the batch (rows of equal length). The output file holds the logits
 * {@code [B, T, vocab]} as little-endian float32; the shape goes to standard output. With {@code
 * -Dlogits.host.await.port=P} it returns from {@code main} only once something listens on {@code
 * 127.0.0.1:P} and the agent's control plane has finished starting (its thread {@value
 * #CONTROL_START_THREAD} has ended, its log lines written; at most a minute), so a test knows the
 * agent's admin API was up when the host's {@code main} returned.
 */
public final class LogitsHost {

  /** The agent's thread that starts the admin API and logs its address ({@code ControlPlane}). */
  private static final String CONTROL_START_THREAD = "mend4j-control-start";

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
      NDArray ids = scope.create(rows.toArray(long[][]::new));
      NDArray logits =
          TorchScriptGenerator.isTorchScript(model)
              ? tracedLogits(model, ids, scope)
              : CheckpointLoader.load(model, weights)
                  .forward(new ParameterStore(scope, false), new NDList(ids), false)
                  .get(0);
      ByteBuffer bytes = logits.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      byte[] data = new byte[bytes.remaining()];
      bytes.get(data);
      Files.write(out, data);
      System.out.println("logits " + logits.getShape());
    }
    Integer port = Integer.getInteger("logits.host.await.port");
    if (port != null) {
      awaitListener(port);
    }
  }

  /**
   * Waits until a connection to {@code 127.0.0.1:port} succeeds and the control plane's starter
   * thread has ended (the listener is up before the line naming it is logged), at most a minute.
   */
  private static void awaitListener(int port) throws IOException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String where = " on 127.0.0.1:" + port + " within a minute";
    awaitUntil(() -> accepts(port), "nothing listened" + where, deadline);
    awaitUntil(
        () -> !controlStarting(),
        "the agent's control plane did not finish starting" + where,
        deadline);
  }

  /** Polls {@code condition} every 50 ms until it holds. */
  private static void awaitUntil(BooleanSupplier condition, String failure, long deadline)
      throws IOException {
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IOException(failure);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean controlStarting() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals(CONTROL_START_THREAD));
  }

  /**
   * The logits of a traced GPT-2 loaded as DJL loads TorchScript, fed as DJL's {@code
   * PtGptTranslator} feeds a first step: behind one masked dummy cache position.
   */
  private static NDArray tracedLogits(Path dir, NDArray ids, NDManager scope) throws IOException {
    Gpt2Config config = Gpt2Config.read(dir.resolve("config.json"));
    Model traced = Model.newInstance(dir.getFileName().toString(), "PyTorch");
    try {
      traced.load(dir);
    } catch (MalformedModelException e) {
      throw new IOException(e);
    }
    long batch = ids.getShape().get(0);
    long length = ids.getShape().get(1);
    NDArray positions = scope.arange(0, length, 1, DataType.INT64).broadcast(batch, length);
    NDArray mask =
        scope
            .zeros(new Shape(batch, 1), DataType.INT64)
            .concat(scope.ones(new Shape(batch, length), DataType.INT64), 1);
    NDList inputs = new NDList(ids, positions, mask);
    for (int i = 0; i < 2 * config.nLayer(); i++) {
      NDArray past = scope.zeros(new Shape(batch, config.nHead(), 1, config.headDim()));
      past.setName("past_key_values(" + config.nLayer() + ",2)");
      inputs.add(past);
    }
    return traced.getBlock().forward(new ParameterStore(scope, false), inputs, false).get(0);
  }
}
