package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mend4j.runtime.gpt2.Gpt2Checkpoint;
import org.mend4j.runtime.gpt2.Gpt2Config;
import org.mend4j.runtime.gpt2.Gpt2Weights;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a checkpoint's weights among arrays another owner already holds (the model a host serves),
 * by {@link Fingerprint}, so that edits are computed on them rather than on a second copy of the
 * checkpoint: for GPT-2 small that copy is about 500 MB of the host's memory.
 *
 * <p>The checkpoint is only read, never loaded: each tensor's fingerprint is taken from the file in
 * chunks ({@link SafeTensorsFile#readFloat32}). Each candidate array is tried in HF layout: a
 * matrix first transposed (a DJL {@code Linear} keeps {@code [out, in]}, mostly as the transposed
 * view of the HF array, so the transpose costs nothing), then as it is; an orientation is hashed
 * only when the checkpoint has a tensor of its shape. A match is kept as a view of the candidate's
 * storage, without gradient, attached to a manager of the caller's: closing the weights closes the
 * views and leaves the storage to its owner. Tensors with equal values (LayerNorm gains of one)
 * have one fingerprint and may share one view; that is harmless, since they are only read. Only
 * float32 arrays on the caller's device are candidates: the computation on the views must not mix
 * devices or types, so a host serving on a GPU or in half precision gets the checkpoint loaded.
 */
public final class SharedWeights {

  private static final Logger LOG = LoggerFactory.getLogger(SharedWeights.class);

  private SharedWeights() {}

  /**
   * What a search found.
   *
   * @param weights the checkpoint's weights as views of the candidates, or null if some tensor was
   *     not among them
   * @param missing the canonical names of the tensors not found, in checkpoint order
   * @param sources the candidates the views are of (empty if nothing was kept): once their owner
   *     closes one, the views hold on to storage the owner gave up, and no longer show its model
   */
  public record Found(Gpt2Weights weights, List<String> missing, List<NDArray> sources) {}

  /**
   * Looks for every tensor of the checkpoint in {@code dir} among {@code candidates}.
   *
   * @param dir the checkpoint directory (its {@code config.json} and weights file)
   * @param candidates arrays of the same DJL as {@code parent}; only read
   * @param parent the manager under which the views are kept
   * @throws IllegalArgumentException if the checkpoint is missing or malformed
   */
  public static Found find(Path dir, Collection<NDArray> candidates, NDManager parent) {
    Gpt2Config config = Gpt2Checkpoint.readConfig(dir);
    SafeTensorsFile file = Gpt2Checkpoint.openWeights(dir);
    Map<String, String> prints = new LinkedHashMap<>();
    Set<List<Long>> shapes = new HashSet<>();
    for (Map.Entry<String, String> e : Gpt2Checkpoint.storedNames(file, config).entrySet()) {
      long[] shape = file.info(e.getValue()).shape();
      MessageDigest digest = Fingerprint.start(shape);
      file.readFloat32(e.getValue(), digest::update);
      prints.put(e.getKey(), Fingerprint.finish(digest));
      shapes.add(dims(shape));
    }
    Set<String> wanted = new HashSet<>(prints.values());
    NDManager views = parent.newSubManager();
    try {
      Map<String, NDArray> byPrint = new HashMap<>();
      Map<NDArray, NDArray> sourceOf = new IdentityHashMap<>();
      for (NDArray candidate : candidates) {
        if (byPrint.size() == wanted.size()) {
          break;
        }
        long dimensions = candidate.getShape().dimension();
        if (candidate.getDataType() == DataType.FLOAT32
            && candidate.getDevice().equals(parent.getDevice())
            && dimensions >= 1
            && dimensions <= 2) {
          NDArray kept = match(candidate, shapes, wanted, byPrint, views);
          if (kept != null) {
            sourceOf.put(kept, candidate);
          }
        }
      }
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      prints.forEach(
          (name, print) -> {
            NDArray view = byPrint.get(print);
            if (view == null) {
              missing.add(name);
            } else {
              tensors.put(name, view);
            }
          });
      LOG.debug(
          "{} of {} tensors of {} found among {} arrays",
          tensors.size(),
          prints.size(),
          dir,
          candidates.size());
      if (!missing.isEmpty()) {
        views.close();
        return new Found(null, missing, List.of());
      }
      return new Found(
          Gpt2Weights.shared(config, tensors, views),
          List.of(),
          new ArrayList<>(sourceOf.values()));
    } catch (RuntimeException e) {
      views.close();
      throw e;
    }
  }

  /**
   * Keeps in {@code views} the first orientation of {@code candidate} whose fingerprint is wanted
   * and not yet found, and returns it (null if none); every other array made on the way (the
   * detached view, the other orientation) is closed with the scratch manager.
   */
  private static NDArray match(
      NDArray candidate,
      Set<List<Long>> shapes,
      Set<String> wanted,
      Map<String, NDArray> byPrint,
      NDManager views) {
    try (NDManager scratch = views.newSubManager()) {
      NDArray detached = candidate.stopGradient();
      detached.attach(scratch);
      List<NDArray> orientations =
          detached.getShape().dimension() == 2
              ? List.of(detached.transpose(), detached)
              : List.of(detached);
      for (NDArray hf : orientations) {
        long[] shape = hf.getShape().getShape();
        if (!shapes.contains(dims(shape))) {
          continue;
        }
        String print = Fingerprint.of(hf);
        if (wanted.contains(print)) {
          if (byPrint.containsKey(print)) {
            return null;
          }
          hf.attach(views);
          byPrint.put(print, hf);
          return hf;
        }
      }
    }
    return null;
  }

  private static List<Long> dims(long[] shape) {
    List<Long> dims = new ArrayList<>(shape.length);
    for (long d : shape) {
      dims.add(d);
    }
    return dims;
  }
}
