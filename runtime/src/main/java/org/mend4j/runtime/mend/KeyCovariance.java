package org.mend4j.runtime.mend;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mend4j.runtime.edit.EditComposition;
import org.mend4j.runtime.edit.KeyValues;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.LinearHook;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;

/**
 * The statistics that let an editor's edits be composed ({@link EditComposition}): for each inner
 * weight, the inverse of {@code C}, the second moment of that layer's inputs on text the model must
 * keep answering as before (plus {@code eps} times its mean diagonal); and the settings of the
 * edits' keys: lambda, the weight of those inputs against an edit's keys, and the gate. Kept beside
 * the editor as {@value #FILE}; an editor without it makes edits that can only be summed.
 */
public final class KeyCovariance {

  /** The file in an editor directory. */
  public static final String FILE = "key-covariance.safetensors";

  private static final String FORMAT = "mend4j.key-covariance/1";
  private static final String DESCRIPTION = "mend4j.key-covariance";

  /** Which positions of each text contribute inputs. */
  public enum Positions {
    /** The last position only: where a prompt's answer is predicted. */
    LAST,
    /** Every position. */
    ALL
  }

  /**
   * Each inner weight's {@code C^-1}, little-endian float32 off the heap: products read it in
   * place.
   */
  private final Map<String, ByteBuffer> inverses;

  private final JsonObject description;

  private KeyCovariance(Map<String, ByteBuffer> inverses, JsonObject description) {
    this.inverses = inverses;
    this.description = description;
  }

  /** The weight of preserved inputs against an edit's keys ({@link KeyValues#lambda}). */
  public float lambda() {
    return description.get("lambda").getAsFloat();
  }

  /** The gate of the edits' rows ({@link KeyValues#gate}; 0: ungated). */
  public float gate() {
    return description.get("gate").getAsFloat();
  }

  /** The same statistics with another lambda and gate, checked as {@link KeyValues} checks them. */
  public KeyCovariance with(float lambda, float gate) {
    KeyValues.checkSettings(lambda, gate);
    JsonObject d = description.deepCopy();
    d.addProperty("lambda", lambda);
    d.addProperty("gate", gate);
    return new KeyCovariance(inverses, d);
  }

  /** Whether there are statistics for this inner weight. */
  public boolean covers(String name) {
    return inverses.containsKey(name);
  }

  /**
   * {@code keys C^-1} for the keys of inner weight {@code name} ({@code [rows, in]}), one float32
   * product in the keys' manager over a view of the inverse (no copy of it).
   */
  public NDArray whiten(String name, NDArray keys) {
    ByteBuffer inverse = inverses.get(name).duplicate().order(ByteOrder.nativeOrder());
    long in = keys.getShape().tail();
    return keys.matMul(keys.getManager().create(inverse, new Shape(in, in), DataType.FLOAT32));
  }

  /**
   * Estimates the statistics on the base model: the inputs of each inner weight at the chosen
   * positions of every text.
   *
   * @param texts text the model must keep answering as it does
   * @param eps the ridge added to {@code C}, relative to its mean diagonal
   */
  public static KeyCovariance estimate(
      Gpt2Model model,
      List<String> innerParams,
      List<String> texts,
      Positions positions,
      double eps,
      float lambda,
      float gate) {
    Map<String, ByteBuffer> inverses = new LinkedHashMap<>();
    long samples = 0;
    try (NDManager scope = model.weights().manager().newSubManager()) {
      Map<String, NDArray> moments = new LinkedHashMap<>();
      for (String text : texts) {
        try (NDManager pass = scope.newSubManager()) {
          LinearHook hook =
              (name, input, output) -> {
                if (innerParams.contains(name)) {
                  NDArray x = input.reshape(-1, input.getShape().tail());
                  if (positions == Positions.LAST) {
                    x = x.get(x.getShape().get(0) - 1).reshape(1, -1);
                  }
                  NDArray x64 = x.toType(DataType.FLOAT64, false);
                  NDArray m = x64.transpose().matMul(x64);
                  NDArray sum = moments.get(name);
                  if (sum == null) {
                    m.attach(scope);
                    moments.put(name, m);
                  } else {
                    sum.addi(m);
                  }
                }
                return output;
              };
          NDArray ids = pass.create(new long[][] {model.encode(text)});
          model.function().hidden(ids, model.weights(), null, hook);
          samples += positions == Positions.LAST ? 1 : ids.getShape().get(1);
        }
      }
      for (String name : innerParams) {
        NDArray m = moments.get(name);
        if (m == null) {
          throw new IllegalStateException("inner weight '" + name + "' saw no input");
        }
        NDArray c = m.div(samples);
        long in = c.getShape().get(0);
        double ridge = eps * c.diagonal().mean().getDouble();
        NDArray regularised = c.add(scope.eye((int) in, (int) in, 0, DataType.FLOAT64).mul(ridge));
        inverses.put(
            name,
            offHeap(regularised.inverse().toType(DataType.FLOAT32, false).toByteBuffer(true)));
      }
    }
    JsonObject d = new JsonObject();
    d.addProperty("format", FORMAT);
    d.addProperty("samples", samples);
    d.addProperty("texts", texts.size());
    d.addProperty("positions", positions.name().toLowerCase(java.util.Locale.ROOT));
    d.addProperty("eps", eps);
    return new KeyCovariance(inverses, d).with(lambda, gate);
  }

  /** Writes {@value #FILE} into {@code editorDir}. */
  public void save(Path editorDir) {
    SafeTensorsWriter writer = new SafeTensorsWriter();
    inverses.forEach(
        (name, inverse) -> {
          long in = Math.round(Math.sqrt(inverse.capacity() / (double) Float.BYTES));
          writer.add(name + ".inverse_covariance", new long[] {in, in}, inverse.duplicate());
        });
    writer.metadata(DESCRIPTION, description.toString());
    writer.write(editorDir.resolve(FILE));
  }

  /**
   * Reads {@value #FILE} from an editor directory, if there is one.
   *
   * @throws IllegalArgumentException naming the file if it is not valid
   */
  public static Optional<KeyCovariance> load(Path editorDir, List<String> innerParams) {
    Path file = editorDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    SafeTensorsFile st = SafeTensorsFile.open(file);
    String json = st.metadata().get(DESCRIPTION);
    if (json == null) {
      throw new IllegalArgumentException(file + ": no " + DESCRIPTION + " description");
    }
    JsonObject d = JsonParser.parseString(json).getAsJsonObject();
    if (!FORMAT.equals(d.get("format").getAsString())) {
      throw new IllegalArgumentException(file + ": unsupported format " + d.get("format"));
    }
    Map<String, ByteBuffer> inverses = new LinkedHashMap<>();
    for (String name : innerParams) {
      String tensor = name + ".inverse_covariance";
      if (!st.has(tensor)) {
        throw new IllegalArgumentException(file + ": no tensor '" + tensor + "'");
      }
      inverses.put(name, offHeap(st.float32(tensor)));
    }
    try {
      return Optional.of(
          new KeyCovariance(inverses, d)
              .with(d.get("lambda").getAsFloat(), d.get("gate").getAsFloat()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          file + ": " + e.getMessage() + " (rewrite it with mend4j key-covariance)", e);
    }
  }

  /**
   * A copy of little-endian float32 bytes in a direct buffer of its own: not a view of a mapped
   * file that could be rewritten under it, nor of a native array that could be closed.
   */
  private static ByteBuffer offHeap(ByteBuffer littleEndianFloats) {
    ByteBuffer source = littleEndianFloats.duplicate();
    ByteBuffer copy = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(source).flip();
    return copy;
  }

  /** The description (format, samples, positions, eps, lambda), for reports. */
  public JsonObject description() {
    return description.deepCopy();
  }
}
