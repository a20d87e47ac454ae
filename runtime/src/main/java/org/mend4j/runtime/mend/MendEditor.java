package org.mend4j.runtime.mend;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MEND editor for one model architecture: a {@link GradientTransform} per inner-weight shape
 * ({@code shared}) or per inner weight, and one learned step size per inner weight ({@code
 * edit_lrs}). Saved as {@code editor.safetensors} under the reference state-dict names plus {@code
 * hparams.json}.
 */
public final class MendEditor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MendEditor.class);

  /** The weights file of an editor directory. */
  public static final String WEIGHTS_FILE = "editor.safetensors";

  /** The hparams file of an editor directory. */
  public static final String HPARAMS_FILE = "hparams.json";

  private final MendHparams hparams;
  private final List<String> inner;
  private final List<long[]> shapes;
  private final int firstEditedBlock;
  private final Map<String, GradientTransform> transforms = new LinkedHashMap<>();
  private final NDManager manager;
  private final NDArray editLrs;
  private String id;
  private KeyCovariance keyCovariance;

  private MendEditor(MendHparams hparams, Gpt2Config config, NDManager parent) {
    this.hparams = hparams;
    this.inner = hparams.innerParams();
    this.shapes = new ArrayList<>();
    Map<String, long[]> modelShapes = Gpt2Names.shapes(config);
    for (String name : inner) {
      long[] shape = modelShapes.get(name);
      if (shape == null || shape.length != 2) {
        throw new IllegalArgumentException(
            "inner parameter '" + name + "' is not a weight matrix of this GPT-2");
      }
      shapes.add(shape);
    }
    this.firstEditedBlock =
        inner.stream().mapToInt(Gpt2Names::blockOf).map(b -> Math.max(b, 0)).min().orElse(0);
    this.manager = parent.newSubManager();
    SplittableRandom random = new SplittableRandom(hparams.seed);
    for (int i = 0; i < inner.size(); i++) {
      String key = transformKey(i);
      if (!transforms.containsKey(key)) {
        int modes = hparams.shared ? modesOf(key) : 0;
        transforms.put(
            key,
            new GradientTransform(
                (int) shapes.get(i)[0], (int) shapes.get(i)[1], modes, hparams, random, manager));
      }
    }
    float[] lrs = new float[inner.size()];
    Arrays.fill(lrs, (float) hparams.editLr);
    this.editLrs = manager.create(lrs, new Shape(inner.size()));
    this.id = "untrained";
  }

  /** A freshly initialised editor (identity at init) for {@code config}. */
  public static MendEditor create(MendHparams hparams, Gpt2Config config, NDManager parent) {
    return new MendEditor(hparams.validated(), config, parent);
  }

  private String transformKey(int index) {
    if (hparams.shared) {
      long[] s = shapes.get(index);
      return "(" + s[0] + ", " + s[1] + ")";
    }
    return inner.get(index).replace('.', '#');
  }

  private int modesOf(String key) {
    int n = 0;
    for (int i = 0; i < inner.size(); i++) {
      n += transformKey(i).equals(key) ? 1 : 0;
    }
    return n;
  }

  private int modeOf(int index) {
    if (!hparams.shared) {
      return -1;
    }
    int mode = 0;
    for (int i = 0; i < index; i++) {
      mode += transformKey(i).equals(transformKey(index)) ? 1 : 0;
    }
    return mode;
  }

  /** The checkpoint's id, recorded in every edit it computes. */
  public String id() {
    return id;
  }

  /** The hyper-parameters. */
  public MendHparams hparams() {
    return hparams;
  }

  /** Canonical names of the inner weights, in order. */
  public List<String> innerParams() {
    return inner;
  }

  /**
   * The statistics that make this editor's edits composable ({@value KeyCovariance#FILE} in its
   * directory), if it has them.
   */
  public Optional<KeyCovariance> keyCovariance() {
    return Optional.ofNullable(keyCovariance);
  }

  /** Uses {@code statistics} (null: none) for the edits made from now on. */
  public void keyCovariance(KeyCovariance statistics) {
    this.keyCovariance = statistics;
  }

  /**
   * The lowest block holding an inner weight (0 if one is outside the blocks): the forward pass
   * below it is the same whatever this editor changes.
   */
  int firstEditedBlock() {
    return firstEditedBlock;
  }

  /** HF shape of inner weight {@code index}. */
  long[] shape(int index) {
    return shapes.get(index);
  }

  /** Pseudo-factors of inner weight {@code index}; see {@link GradientTransform#apply}. */
  NDArray[] transform(int index, GradientFactors factors, boolean training, NDManager scope) {
    int mode = modeOf(index);
    return transforms.get(transformKey(index)).apply(factors, Math.max(mode, 0), training, scope);
  }

  /**
   * Pseudo-factors of every inner weight with captured rows, for an edit: the weights sharing a
   * network go through it together ({@link GradientTransform#applyAll}).
   *
   * @return by inner weight, {@code [u~, delta~]}; weights without a non-zero row are left out
   */
  Map<String, NDArray[]> transformAll(Map<String, GradientFactors> factors, NDManager scope) {
    Map<String, List<Integer>> byNetwork = new LinkedHashMap<>();
    for (int i = 0; i < inner.size(); i++) {
      byNetwork.computeIfAbsent(transformKey(i), k -> new ArrayList<>()).add(i);
    }
    Map<String, NDArray[]> out = new LinkedHashMap<>();
    byNetwork.forEach(
        (key, indices) -> {
          List<GradientFactors> rows =
              indices.stream().map(i -> factors.get(inner.get(i))).toList();
          int[] modes = indices.stream().mapToInt(i -> Math.max(modeOf(i), 0)).toArray();
          List<NDArray[]> pseudo = transforms.get(key).applyAll(rows, modes, scope);
          for (int w = 0; w < indices.size(); w++) {
            if (pseudo.get(w) != null) {
              out.put(inner.get(indices.get(w)), pseudo.get(w));
            }
          }
        });
    Map<String, NDArray[]> ordered = new LinkedHashMap<>();
    inner.stream().filter(out::containsKey).forEach(n -> ordered.put(n, out.get(n)));
    return ordered;
  }

  /** The learned step size of inner weight {@code index}, as a differentiable scalar. */
  NDArray editLr(int index, NDManager scope) {
    NDArray lr = editLrs.get(index);
    lr.attach(scope);
    return lr;
  }

  /** The current step size of inner weight {@code index}. */
  float editLrValue(int index) {
    return editLrs.getFloat(index);
  }

  /** The trainable arrays under the reference state-dict names. */
  public Map<String, NDArray> outerParams() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    transforms.forEach(
        (key, t) ->
            t.params().forEach((name, array) -> out.put("mend." + key + "." + name, array)));
    out.put("edit_lrs", editLrs);
    return out;
  }

  /** Saves weights, normalisation statistics and hparams into {@code dir}; sets the id. */
  public void save(Path dir) {
    SafeTensorsWriter writer = new SafeTensorsWriter();
    outerParams()
        .forEach(
            (name, array) ->
                writer.add(
                    name,
                    array.getShape().getShape(),
                    array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN)));
    transforms.forEach(
        (key, t) -> {
          String p = "mend." + key + ".";
          writer.add(p + "u_mean", new long[] {t.xDim}, t.xNorm.mean);
          writer.add(p + "v_mean", new long[] {t.deltaDim}, t.deltaNorm.mean);
          writer.add(p + "u_s", new long[] {t.xDim}, t.xNorm.sumSquares);
          writer.add(p + "v_s", new long[] {t.deltaDim}, t.deltaNorm.sumSquares);
          writer.add(p + "u_std", new long[] {t.xDim}, stdOrNan(t.xNorm));
          writer.add(p + "v_std", new long[] {t.deltaDim}, stdOrNan(t.deltaNorm));
          writer.add(p + "k", new long[] {1}, new float[] {t.xNorm.count});
        });
    id = "mend-" + writer.dataSha256().substring(0, 16);
    JsonObject meta = new JsonObject();
    meta.addProperty("format", "mend4j.editor/1");
    meta.addProperty("id", id);
    writer.metadata("mend4j.editor", meta.toString());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    writer.write(dir.resolve(WEIGHTS_FILE));
    hparams.write(dir.resolve(HPARAMS_FILE));
  }

  private static float[] stdOrNan(RunningNorm norm) {
    if (norm.count < 2) {
      float[] nan = new float[norm.mean.length];
      Arrays.fill(nan, Float.NaN);
      return nan;
    }
    return norm.std();
  }

  /** The inner weights an editor directory edits, from its hparams alone. */
  public static List<String> innerParams(Path dir) {
    Path hparamsFile = dir.resolve(HPARAMS_FILE);
    try {
      return MendHparams.parse(Files.readString(hparamsFile), hparamsFile.toString()).innerParams();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + hparamsFile, e);
    }
  }

  /**
   * Loads an editor directory for {@code config}.
   *
   * @throws IllegalArgumentException if the directory is not an editor or does not fit the model
   */
  public static MendEditor load(Path dir, Gpt2Config config, NDManager parent) {
    Path weights = dir.resolve(WEIGHTS_FILE);
    Path hparamsFile = dir.resolve(HPARAMS_FILE);
    if (!Files.isRegularFile(weights) || !Files.isRegularFile(hparamsFile)) {
      throw new IllegalArgumentException(
          "editor directory " + dir + " needs " + WEIGHTS_FILE + " and " + HPARAMS_FILE);
    }
    MendHparams hparams;
    try {
      hparams = MendHparams.parse(Files.readString(hparamsFile), hparamsFile.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + hparamsFile, e);
    }
    MendEditor editor;
    try {
      editor = new MendEditor(hparams, config, parent);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "editor " + dir + " does not fit this model: " + e.getMessage(), e);
    }
    try {
      editor.restore(SafeTensorsFile.open(weights));
      editor.keyCovariance = KeyCovariance.load(dir, editor.innerParams()).orElse(null);
      LOG.debug(
          "loaded editor {} ({}): {} inner weights, {}",
          dir,
          editor.id(),
          editor.innerParams().size(),
          editor.keyCovariance != null ? "with key statistics" : "no key statistics");
      return editor;
    } catch (RuntimeException e) {
      editor.close();
      throw e;
    }
  }

  private void restore(SafeTensorsFile file) {
    for (Map.Entry<String, NDArray> e : outerParams().entrySet()) {
      long[] expected = e.getValue().getShape().getShape();
      long[] stored = file.info(e.getKey()).shape();
      if (!Arrays.equals(expected, stored)) {
        throw new IllegalArgumentException(
            file.file()
                + ": editor tensor '"
                + e.getKey()
                + "' has shape "
                + Arrays.toString(stored)
                + " but this model needs "
                + Arrays.toString(expected)
                + " (an editor trained for another model?)");
      }
      e.getValue().set(file.floats(e.getKey()));
    }
    transforms.forEach(
        (key, t) -> {
          String p = "mend." + key + ".";
          long k = (long) file.floats(p + "k")[0];
          t.xNorm.restore(file.floats(p + "u_mean"), file.floats(p + "u_s"), k);
          t.deltaNorm.restore(file.floats(p + "v_mean"), file.floats(p + "v_s"), k);
        });
    String meta = file.metadata().get("mend4j.editor");
    id =
        meta == null
            ? "unknown"
            : JsonParser.parseString(meta).getAsJsonObject().get("id").getAsString();
  }

  @Override
  public void close() {
    manager.close();
  }
}
