package org.mend4j.tests.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link LogitsHost} in a child JVM (optionally with the agent) and reads its logits.
 *
 * <p>The child runs PyTorch on one intra-op and one inter-op thread, because tests compare its
 * logits bit for bit across runs: with two intra-op threads the traced world model's forward pass
 * gave a different last bit in 4 of 12 plain runs on a 2-core machine (DJL's own blocks were stable
 * in 10 of 10), which made a test of the agent fail without the agent being involved.
 */
public final class LogitsProcess {

  private LogitsProcess() {}

  /** The logits and the child's combined output (for the agent's log lines). */
  public record Result(float[] logits, String log) {}

  /**
   * Runs one forward pass.
   *
   * @param model the checkpoint directory
   * @param ids equal-length id rows
   * @param jvmArgs extra JVM arguments (a {@code -javaagent}, system properties)
   * @param name a name for the output files under {@code target/logits-host}
   * @return the logits, flattened {@code [B, T, vocab]}
   * @throws IOException if the child fails or times out
   */
  public static Result run(Path model, long[][] ids, List<String> jvmArgs, String name)
      throws IOException {
    Path dir = TestPaths.target().resolve("logits-host");
    Files.createDirectories(dir);
    Path out = dir.resolve(name + ".f32");
    Path log = dir.resolve(name + ".log");
    Files.deleteIfExists(out);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-Dai.djl.pytorch.num_threads=1");
    command.add("-Dai.djl.pytorch.num_interop_threads=1");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(TestPaths.testClasses() + java.io.File.pathSeparator + TestPaths.demoAppJar());
    command.add(LogitsHost.class.getName());
    command.add(model.toString());
    command.add(out.toString());
    for (long[] row : ids) {
      StringBuilder csv = new StringBuilder();
      for (long id : row) {
        csv.append(csv.length() == 0 ? "" : ",").append(id);
      }
      command.add(csv.toString());
    }
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("logits host timed out; log: " + log);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String text = Files.readString(log);
    if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
      throw new IOException("logits host exited with " + p.exitValue() + ":\n" + text);
    }
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    float[] logits = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(logits);
    return new Result(logits, text);
  }
}
