package org.mend4j.tests.inspect.host;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mend4j.demoapp.model.SafetensorsFile;

/**
 * Builds a {@link Conv1D} for each named weight of a checkpoint (read with demo-app's safetensors
 * reader) and runs one of them on input rows from a file, writing its output:
 *
 * <pre>
 * java -cp tests/target/test-classes:demo-app/target/mend4j-demo-app.jar [-javaagent:...] \
 *     org.mend4j.tests.inspect.host.Conv1dHost MODEL_DIR IN.f32 OUT.f32 RUN_WEIGHT WEIGHT...
 * </pre>
 *
 * Files hold little-endian float32; the input's rows are as wide as the run weight's input.
 */
public final class Conv1dHost {

  private Conv1dHost() {}

  /**
   * Runs the host.
   *
   * @param args model directory, input file, output file, the weight to run, every weight to build
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    System.setProperty("ai.djl.offline", "true");
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        SafetensorsFile file = SafetensorsFile.open(Path.of(args[0], "model.safetensors"))) {
      Map<String, Conv1D> blocks = new LinkedHashMap<>();
      for (int i = 4; i < args.length; i++) {
        Conv1D block = new Conv1D();
        block.setWeight(file.load(args[i], manager));
        blocks.put(args[i], block);
      }
      Conv1D run = blocks.get(args[3]);
      long in = file.shape(args[3]).get(0);
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(Path.of(args[1])));
      float[] x = new float[bytes.remaining() / 4];
      bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
      NDArray input =
          manager.create(x, new Shape(x.length / in, in)).toType(DataType.FLOAT32, false);
      NDList y = run.forward(new ParameterStore(manager, false), new NDList(input), false);
      ByteBuffer out = y.head().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      byte[] data = new byte[out.remaining()];
      out.get(data);
      Files.write(Path.of(args[2]), data);
      System.out.println("output " + y.head().getShape());
    }
  }
}
