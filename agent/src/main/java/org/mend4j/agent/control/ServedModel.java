package org.mend4j.agent.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.mend4j.agent.entry.AgentClassLoader;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.runtime.edit.SharedWeights;
import org.mend4j.runtime.gpt2.Gpt2Model;

/**
 * The model in-process edits are computed on: the checkpoint the host serves ({@code model=DIR},
 * which always gives the config and the tokenizer) on the host's own arrays when every tensor of it
 * is among them ({@link SharedWeights}: views, no second copy; about 500 MB of the host's memory
 * for GPT-2 small), else loaded from the directory, a second copy. The copy is what an agent
 * attached after the host built its model, a TorchScript host or {@code model.weights=copy} gets;
 * the log says which it is and why.
 *
 * <p>Views hold on to the host's storage: when the host closes its model (to load another), they
 * would keep the old weights alive and edits would be computed on them. So the model remembers the
 * host arrays it is made of, and says when the host has {@linkplain #hostReplaced replaced} them.
 *
 * @param model the model
 * @param lentBy the host's arrays its weights are views of; empty for a loaded copy
 * @param manager the agent-owned manager of the views or the copy (the editor goes there too);
 *     closing it frees them
 */
record ServedModel(Gpt2Model model, List<NDArray> lentBy, NDManager manager)
    implements AutoCloseable {

  /**
   * The model, in a new agent-owned manager.
   *
   * @param dir the checkpoint directory
   * @param hostArrays the host's parameter arrays, or null to load the copy in any case
   * @throws ControlException.Unavailable if the host has not loaded DJL yet
   * @throws ControlException.Failed if the directory is missing or the copy cannot be loaded
   */
  static ServedModel open(Path dir, Supplier<List<Object>> hostArrays) {
    if (ServedModel.class.getClassLoader() instanceof AgentClassLoader own && !own.seesDjl()) {
      // resolving DJL now would fail for good: the host loads it later, in its own class loader
      throw new ControlException.Unavailable(
          "the host has not loaded DJL yet; try again once it has served a request", null);
    }
    if (!Files.isDirectory(dir)) {
      throw new ControlException.Failed("model directory " + dir + " does not exist", null);
    }
    NDManager manager = NDManager.newBaseManager();
    try {
      ServedModel shared = hostArrays == null ? null : onHostArrays(dir, hostArrays.get(), manager);
      return shared != null ? shared : new ServedModel(loaded(dir, manager), List.of(), manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public void close() {
    manager.close();
  }

  /** Whether the host has closed an array the model's weights are views of. */
  boolean hostReplaced() {
    return lentBy.stream().anyMatch(NDArray::isReleased);
  }

  private static ServedModel onHostArrays(Path dir, List<Object> arrays, NDManager manager) {
    if (arrays.isEmpty()) {
      AgentLog.info(
          "the agent knows no array of the host's model (attached after it was built, or a"
              + " TorchScript host); loading a copy of "
              + dir
              + " for in-process edits");
      return null;
    }
    long start = System.nanoTime();
    try {
      List<NDArray> candidates = arrays.stream().map(NDArray.class::cast).toList();
      SharedWeights.Found found = SharedWeights.find(dir, candidates, manager);
      if (found.weights() == null) {
        AgentLog.info(
            String.format(
                Locale.ROOT,
                "the host's %d arrays lack %d tensors of %s (%s first); loading a copy of it for"
                    + " in-process edits",
                candidates.size(),
                found.missing().size(),
                dir,
                found.missing().get(0)));
        return null;
      }
      AgentLog.info(
          String.format(
              Locale.ROOT,
              "computing edits on the host's own weights: every tensor of %s is among its %d"
                  + " arrays, no second copy (%.1f s)",
              dir,
              candidates.size(),
              (System.nanoTime() - start) / 1e9));
      return new ServedModel(Gpt2Model.of(dir, found.weights()), found.sources(), manager);
    } catch (RuntimeException e) {
      AgentLog.warn(
          "cannot compute edits on the host's own weights (" + e + "); loading a copy of " + dir);
      return null;
    }
  }

  private static Gpt2Model loaded(Path dir, NDManager manager) {
    long start = System.nanoTime();
    Gpt2Model loaded;
    try {
      loaded = Gpt2Model.load(dir, manager);
    } catch (RuntimeException e) {
      throw new ControlException.Failed("cannot load model " + dir + ": " + e.getMessage(), e);
    }
    AgentLog.info(
        String.format(
            Locale.ROOT,
            "loaded model %s for in-process edits (%.1f s)",
            dir,
            (System.nanoTime() - start) / 1e9));
    return loaded;
  }
}
