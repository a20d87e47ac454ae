package org.mend4j.runtime.merge;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.edit.Fingerprint;
import org.mend4j.runtime.gpt2.Gpt2Checkpoint;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.gpt2.Gpt2Weights;
import org.mend4j.runtime.safetensors.DType;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;
import org.mend4j.runtime.safetensors.TensorInfo;

/**
 * Writes a checkpoint directory with a list of edits baked into its weights: the input's {@code
 * model.safetensors} with every tensor under its own name, dtype and header order (those no edit
 * changes copied byte for byte), the input's other files except weights (config, tokenizer files),
 * and {@link MergeManifest}. Everything is checked (edit files, fingerprints) and written into a
 * temporary directory beside {@code out}, which is renamed to {@code out} only when complete: a
 * refused or failed merge leaves nothing behind.
 */
public final class CheckpointMerge {

  /** Files of a checkpoint directory that hold weights: never copied, the merge writes its own. */
  private static final List<String> WEIGHT_SUFFIXES =
      List.of(".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".h5", ".msgpack", ".onnx", ".gguf");

  /**
   * A weight the merge changed.
   *
   * @param name its name in the checkpoint
   * @param dtype its dtype (the input's)
   * @param rows composed factor rows folded in
   * @param gatedRows of those, rows the functional model applies only near their keys
   * @param baseFingerprint {@link Fingerprint} of the input weight
   * @param mergedFingerprint {@link Fingerprint} of the merged weight as stored
   */
  public record WeightChange(
      String name,
      DType dtype,
      int rows,
      int gatedRows,
      String baseFingerprint,
      String mergedFingerprint) {}

  /**
   * What a merge wrote.
   *
   * @param out the merged checkpoint directory
   * @param edits the edits it holds, in order
   * @param weights the weights it changed
   * @param copied the other files copied from the input
   */
  public record Result(
      Path out, List<Edit> edits, List<WeightChange> weights, List<String> copied) {

    /** Rows, over all weights, that the functional model gates and the merged weights do not. */
    public int gatedRows() {
      return weights.stream().mapToInt(WeightChange::gatedRows).sum();
    }
  }

  private CheckpointMerge() {}

  /**
   * Merges edit files, composed in the given order, into the checkpoint in {@code model}.
   *
   * @throws IllegalArgumentException if there is no edit, {@code out} exists and is not an empty
   *     directory, an edit file is unreadable, an edit is given twice, or an edit was computed for
   *     another model (naming its file and parameter); nothing is written then
   */
  public static Result merge(Path model, List<Path> editFiles, Path out) {
    if (editFiles.isEmpty()) {
      throw new IllegalArgumentException("no edits to merge");
    }
    checkOut(model, out);
    List<MergeManifest.MergedEdit> merged = new ArrayList<>();
    for (Path file : editFiles) {
      merged.add(
          new MergeManifest.MergedEdit(
              file.getFileName().toString(), sha256(file), EditFile.read(file)));
    }
    List<Edit> edits = merged.stream().map(MergeManifest.MergedEdit::edit).toList();
    Map<String, String> fileOf = new HashMap<>();
    for (MergeManifest.MergedEdit m : merged) {
      String other = fileOf.put(m.edit().id(), m.file());
      if (other != null) {
        throw new IllegalArgumentException(
            "edit " + m.edit().id() + " is given twice (" + other + ", " + m.file() + ")");
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      Gpt2Weights weights = Gpt2Checkpoint.load(model, manager);
      Map<String, String> fingerprints = new HashMap<>();
      Function<String, String> fingerprintOf =
          name -> fingerprints.computeIfAbsent(name, n -> Fingerprint.of(weights.base(n)));
      for (MergeManifest.MergedEdit m : merged) {
        try {
          EditedParams.checkFingerprints(List.of(m.edit()), fingerprintOf);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              m.file() + ": " + e.getMessage() + "; nothing was written", e);
        }
      }
      Map<String, DenseChanges.Change> changes =
          DenseChanges.of(weights, edits, fingerprintOf, manager);
      Path temp = tempDir(out);
      try {
        List<String> copied = copyOtherFiles(model, temp);
        List<WeightChange> changed = writeWeights(model, changes, edits, temp);
        Files.writeString(
            temp.resolve(MergeManifest.FILE),
            MergeManifest.json(
                model.toAbsolutePath().normalize().toString(),
                sha256(model.resolve(Gpt2Checkpoint.WEIGHTS_FILE)),
                sha256(temp.resolve(Gpt2Checkpoint.WEIGHTS_FILE)),
                merged,
                changed));
        Files.deleteIfExists(out);
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
        return new Result(out, edits, changed, copied);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the merged checkpoint " + out, e);
      } finally {
        deleteTree(temp);
      }
    }
  }

  private static void checkOut(Path model, Path out) {
    if (Files.exists(out)) {
      boolean empty;
      try (Stream<Path> list = Files.isDirectory(out) ? Files.list(out) : null) {
        empty = list != null && list.findAny().isEmpty();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + out, e);
      }
      if (!empty) {
        throw new IllegalArgumentException(
            "--out " + out + " exists and is not an empty directory; nothing was written");
      }
    }
    if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("--out must differ from --model");
    }
  }

  private static List<WeightChange> writeWeights(
      Path model, Map<String, DenseChanges.Change> changes, List<Edit> edits, Path dir) {
    SafeTensorsFile input = SafeTensorsFile.open(model.resolve(Gpt2Checkpoint.WEIGHTS_FILE));
    SafeTensorsWriter writer = new SafeTensorsWriter();
    input.metadata().forEach(writer::metadata);
    writer.metadata("mend4j.merged_edits", String.join(",", edits.stream().map(Edit::id).toList()));
    List<String> names = new ArrayList<>();
    for (TensorInfo t : input.tensors().values()) {
      DenseChanges.Change change = changes.get(Gpt2Names.canonical(t.name()));
      if (change == null) {
        writer.add(t.name(), t.dtype(), t.shape(), input.raw(t.name()));
      } else {
        writer.add(t.name(), t.dtype(), t.shape(), t.dtype().encode(change.values()));
        names.add(t.name());
      }
    }
    Path file = dir.resolve(Gpt2Checkpoint.WEIGHTS_FILE);
    writer.write(file);
    SafeTensorsFile written = SafeTensorsFile.open(file);
    List<WeightChange> changed = new ArrayList<>();
    for (String name : names) {
      TensorInfo t = written.info(name);
      DenseChanges.Change change = changes.get(Gpt2Names.canonical(name));
      changed.add(
          new WeightChange(
              name,
              t.dtype(),
              change.rows(),
              change.gatedRows(),
              Fingerprint.of(t.shape(), input.float32(name)),
              Fingerprint.of(t.shape(), written.float32(name))));
    }
    return changed;
  }

  private static List<String> copyOtherFiles(Path model, Path dir) throws IOException {
    List<String> copied = new ArrayList<>();
    try (Stream<Path> list = Files.list(model)) {
      for (Path p : list.sorted().toList()) {
        String name = p.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean weights = WEIGHT_SUFFIXES.stream().anyMatch(lower::endsWith);
        if (Files.isRegularFile(p) && !weights && !name.equals(MergeManifest.FILE)) {
          Files.copy(p, dir.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
          copied.add(name);
        }
      }
    }
    return copied;
  }

  private static Path tempDir(Path out) {
    Path parent = out.toAbsolutePath().normalize().getParent();
    try {
      Files.createDirectories(parent);
      Path temp = Files.createTempDirectory(parent, "." + out.getFileName() + ".");
      if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      return temp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory beside " + out, e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the temporary directory " + dir, e);
    }
  }

  private static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
