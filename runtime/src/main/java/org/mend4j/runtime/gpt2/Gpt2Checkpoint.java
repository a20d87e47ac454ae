package org.mend4j.runtime.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.safetensors.SafeTensorsException;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;
import org.mend4j.runtime.safetensors.TensorInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and saves GPT-2 checkpoint directories in the HF layout: {@code config.json} and {@code
 * model.safetensors} (tokenizer files are the tokenizer's business). Every tensor the config
 * implies is checked for presence and shape before the model is used.
 */
public final class Gpt2Checkpoint {

  /** The weights file inside a checkpoint directory. */
  public static final String WEIGHTS_FILE = "model.safetensors";

  /** The config file inside a checkpoint directory. */
  public static final String CONFIG_FILE = "config.json";

  private static final Logger LOG = LoggerFactory.getLogger(Gpt2Checkpoint.class);

  private Gpt2Checkpoint() {}

  /**
   * Loads a checkpoint directory into a new sub-manager of {@code parent}.
   *
   * @throws IllegalArgumentException if the directory, a file or a tensor is missing or malformed
   */
  public static Gpt2Weights load(Path dir, NDManager parent) {
    Gpt2Config config = readConfig(dir);
    SafeTensorsFile file = openWeights(dir);
    NDManager manager = parent.newSubManager();
    try {
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      List<Object> retained = new ArrayList<>();
      for (Map.Entry<String, String> e : storedNames(file, config).entrySet()) {
        ByteBuffer bytes = file.float32(e.getValue());
        retained.add(bytes);
        NDArray array =
            manager.create(bytes, new Shape(file.info(e.getValue()).shape()), DataType.FLOAT32);
        array.setName(e.getKey());
        tensors.put(e.getKey(), array);
      }
      retained.add(file);
      if (LOG.isDebugEnabled()) {
        long bytes = tensors.values().stream().mapToLong(a -> 4 * a.size()).sum();
        LOG.debug(
            "loaded {}: {} tensors, {} MiB, {}",
            dir,
            tensors.size(),
            bytes >> 20,
            file.isMapped() ? "memory-mapped" : "read into memory");
      }
      return new Gpt2Weights(config, tensors, manager, retained);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * The config of a checkpoint directory.
   *
   * @throws IllegalArgumentException if the directory or a file is missing or malformed
   */
  public static Gpt2Config readConfig(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("model directory not found: " + dir);
    }
    for (Path required : List.of(dir.resolve(CONFIG_FILE), dir.resolve(WEIGHTS_FILE))) {
      if (!Files.isRegularFile(required)) {
        throw new IllegalArgumentException("model directory " + dir + " has no " + required);
      }
    }
    return Gpt2Config.read(dir.resolve(CONFIG_FILE));
  }

  /** The weights file of a checkpoint directory, opened and validated (nothing loaded). */
  public static SafeTensorsFile openWeights(Path dir) {
    return SafeTensorsFile.open(dir.resolve(WEIGHTS_FILE));
  }

  /**
   * Each tensor the config implies, by canonical name, with the name the file stores it under (with
   * or without the {@code transformer.} prefix), in the config's order.
   *
   * @throws SafeTensorsException if a tensor is missing or its shape is not the config's
   */
  public static Map<String, String> storedNames(SafeTensorsFile file, Gpt2Config config) {
    Map<String, String> names = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : Gpt2Names.shapes(config).entrySet()) {
      String stored = storedName(file, e.getKey());
      TensorInfo info = file.info(stored);
      if (!Arrays.equals(info.shape(), e.getValue())) {
        throw new SafeTensorsException(
            file.file(),
            stored,
            "shape "
                + info.shapeString()
                + " but config.json implies "
                + Arrays.toString(e.getValue()));
      }
      names.put(e.getKey(), stored);
    }
    return names;
  }

  private static String storedName(SafeTensorsFile file, String canonical) {
    if (file.has(canonical)) {
      return canonical;
    }
    String bare =
        canonical.startsWith(Gpt2Names.PREFIX)
            ? canonical.substring(Gpt2Names.PREFIX.length())
            : canonical;
    if (file.has(bare)) {
      return bare;
    }
    throw new SafeTensorsException(
        file.file(),
        canonical,
        "missing tensor (looked for '" + canonical + "' and '" + bare + "')");
  }

  /** Writes {@code config.json} and {@code model.safetensors} (float32, canonical names). */
  public static void save(Gpt2Config config, Map<String, NDArray> tensors, Path dir) {
    config.write(dir.resolve(CONFIG_FILE));
    SafeTensorsWriter writer = new SafeTensorsWriter().metadata("format", "pt");
    for (Map.Entry<String, long[]> e : Gpt2Names.shapes(config).entrySet()) {
      NDArray array = tensors.get(e.getKey());
      if (array == null) {
        throw new IllegalArgumentException("cannot save: missing tensor '" + e.getKey() + "'");
      }
      ByteBuffer bytes = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      writer.add(e.getKey(), e.getValue(), bytes);
    }
    writer.write(dir.resolve(WEIGHTS_FILE));
  }
}
