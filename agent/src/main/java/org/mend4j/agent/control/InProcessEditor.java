package org.mend4j.agent.control;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditComposition;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.edit.Fingerprint;
import org.mend4j.runtime.generate.GenerationConfig;
import org.mend4j.runtime.generate.Generator;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.mend.MendEditor;
import org.mend4j.runtime.mend.MendEdits;

/**
 * Computes MEND edits inside the host's JVM, with the agent's copy of the runtime on the host's
 * DJL: the configured checkpoint ({@code model=DIR}, the weights the host serves) and editor
 * ({@code editor=DIR}), each set up once, on first use, in an agent-owned manager. An edit is
 * computed on the base weights with the edits given composed (the model the host serves), one at a
 * time, and refined until it holds there ({@link MendEdits#editAmong}).
 *
 * <p>The weights are the host's own arrays when they hold the whole checkpoint, else a loaded copy
 * ({@link ServedModel}); either is set up only when an edit is made or an imported edit must be
 * checked.
 */
public final class InProcessEditor implements EditComputer {

  private final Path modelDir;
  private final Path editorDir;
  private final Supplier<List<Object>> hostArrays;
  private ServedModel served;
  private MendEditor editor;
  private MendEdits edits;

  /**
   * An editor for the given directories (either may be null: not configured).
   *
   * @param modelDir the checkpoint the host serves ({@code model=DIR}), or null
   * @param editorDir the MEND editor for it ({@code editor=DIR}), or null
   * @param hostArrays the parameter arrays of the host's models, of the DJL the agent's classes
   *     use, to compute edits on instead of a loaded copy; null to always load the copy
   */
  public InProcessEditor(Path modelDir, Path editorDir, Supplier<List<Object>> hostArrays) {
    this.modelDir = modelDir;
    this.editorDir = editorDir;
    this.hostArrays = hostArrays;
  }

  /** Whether {@code model=DIR} is configured. */
  @Override
  public boolean hasModel() {
    return modelDir != null;
  }

  /**
   * One edit making all {@code requests} true, computed on the base model plus {@code base}.
   *
   * @throws ControlException a {@link ControlException.Conflict} if no model or editor is
   *     configured or {@code base} does not fit the model, {@link ControlException.InvalidRequest}
   *     for a request the model cannot take, {@link ControlException.NotEditable} if MEND finds
   *     nothing to edit, {@link ControlException.Failed} if the model or editor cannot be loaded
   */
  @Override
  public synchronized Edit compute(List<EditRequest> requests, List<Edit> base) {
    MendEdits mend = mendEdits();
    for (int i = 0; i < requests.size(); i++) {
      RequestFit.check(
          served.model(),
          requests.get(i),
          requests.size() == 1 ? "edit request" : "edit request [" + i + "]");
    }
    try {
      checkFits(base);
    } catch (ControlException.ForeignModel e) {
      throw new ControlException.Conflict(
          "cannot compute on top of the enabled edits: " + e.getMessage(), e);
    }
    try {
      return mend.editAmong(
          requests, base, EditComposition.Mode.LEAST_SQUARES, MendEdits.DEFAULT_PASSES);
    } catch (IllegalArgumentException e) {
      throw new ControlException.InvalidRequest(
          "the model cannot take this request: " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new ControlException.NotEditable("no edit: " + e.getMessage(), e);
    }
  }

  /**
   * The greedy completion of {@code prompt} (at most {@code maxNewTokens} tokens, stopping at
   * end-of-text) on the base model with each list of edits composed as the forward hook composes
   * them: one completion per list, in order. Runs under the editor's lock, so it never overlaps an
   * edit being computed.
   *
   * @throws ControlException a {@link ControlException.Conflict} if no model is configured, an edit
   *     does not fit it or its tokenizer cannot decode what it generates, {@link
   *     ControlException.InvalidRequest} if the prompt does not fit the model's context
   */
  @Override
  public synchronized List<String> complete(
      String prompt, int maxNewTokens, List<List<Edit>> editSets) {
    Gpt2Model m = model();
    long[] ids = RequestFit.prompt(m, prompt);
    GenerationConfig greedy = GenerationConfig.greedy(maxNewTokens);
    List<String> completions = new ArrayList<>();
    for (List<Edit> set : editSets) {
      try (NDManager scope = served.manager().newSubManager()) {
        Gpt2Params params;
        try {
          params = EditedParams.of(m.weights(), set, fingerprints(m), scope);
        } catch (IllegalArgumentException e) {
          throw new ControlException.Conflict("cannot compose the edits: " + e.getMessage(), e);
        }
        long[] out = new Generator(m.function(), params, scope).generate(ids, greedy);
        completions.add(text(m, Arrays.copyOfRange(out, ids.length, out.length)));
      }
    }
    return completions;
  }

  /**
   * Checks that every weight the edits change is one of the configured model's, with the same
   * fingerprint: the agent's one check of edits against {@code model=DIR} (binding checks them
   * against the host's own weights).
   *
   * @throws ControlException.ForeignModel naming the first edit and parameter that differ
   */
  @Override
  public synchronized void checkFits(List<Edit> edits) {
    try {
      EditedParams.checkFingerprints(edits, fingerprints(model()));
    } catch (IllegalArgumentException e) {
      throw new ControlException.ForeignModel(e.getMessage() + " (" + modelDir + ")");
    }
  }

  /**
   * The text of generated ids; an id the directory's tokenizer does not know is the set-up's fault
   * (a tokenizer of a smaller vocabulary than the model's), not the request's.
   */
  private String text(Gpt2Model m, long[] generated) {
    try {
      return m.decode(generated);
    } catch (IllegalArgumentException e) {
      throw new ControlException.Conflict(
          String.format(
              java.util.Locale.ROOT,
              "the tokenizer of %s cannot decode what the model generated (%s): are the tokenizer"
                  + " files those of the model's vocabulary of %d?",
              modelDir,
              e.getMessage(),
              m.config().vocabSize()),
          e);
    }
  }

  /**
   * The fingerprint of each of {@code m}'s weights by canonical name; for a name it does not have,
   * one no edit carries, so an edit changing it does not fit.
   */
  private Function<String, String> fingerprints(Gpt2Model m) {
    return name -> {
      try {
        return edits != null ? edits.fingerprint(name) : Fingerprint.of(m.weights().base(name));
      } catch (IllegalArgumentException e) {
        return "none (the model has no such weight)";
      }
    };
  }

  private Gpt2Model model() {
    if (modelDir == null) {
      throw new ControlException.Conflict(
          "the agent has no model: start it with model=DIR (the checkpoint the host serves)", null);
    }
    dropIfHostReplaced();
    if (served == null) {
      served = ServedModel.open(modelDir, hostArrays);
    }
    return served.model();
  }

  /**
   * Drops the model, and the editor set up beside it, once the host has closed an array the model
   * is made of: the next use sets them up again on what the host serves now.
   */
  private void dropIfHostReplaced() {
    if (served != null && served.hostReplaced()) {
      AgentLog.info(
          "the host closed the model in-process edits were computed on; setting up "
              + modelDir
              + " again on what it serves now");
      served.close();
      served = null;
      editor = null;
      edits = null;
    }
  }

  private MendEdits mendEdits() {
    if (editorDir == null || modelDir == null) {
      throw new ControlException.Conflict(
          "the agent cannot compute edits: start it with model=DIR and editor=DIR (a MEND editor"
              + " for that model), or import an edit file (Content-Type:"
              + " application/octet-stream)",
          null);
    }
    Gpt2Model m = model(); // set up again if the host replaced its model, the editor with it
    if (edits == null) {
      if (editor == null) {
        try {
          editor = MendEditor.load(editorDir, m.config(), served.manager());
        } catch (RuntimeException e) {
          throw new ControlException.Failed(
              "cannot load editor " + editorDir + ": " + e.getMessage(), e);
        }
        AgentLog.info("loaded editor " + editorDir + " (" + editor.id() + ") for in-process edits");
      }
      edits = new MendEdits(m, editor);
    }
    return edits;
  }
}
