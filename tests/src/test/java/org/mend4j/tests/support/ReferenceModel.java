package org.mend4j.tests.support;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditComposition;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.edit.Fingerprint;
import org.mend4j.runtime.edit.ParamDelta;
import org.mend4j.runtime.generate.GenerationConfig;
import org.mend4j.runtime.generate.Generator;
import org.mend4j.runtime.gpt2.FactoredDelta;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.mend.MendEditor;
import org.mend4j.runtime.mend.MendEdits;
import org.mend4j.runtime.mend.SeededEditor;

/**
 * The oracle of the agent tests: the runtime's {@code FunctionalGpt2} on the same checkpoint the
 * host serves, with edits applied functionally ({@link EditedParams}). It also makes the tests'
 * edits: real MEND edits, random ones with the checkpoint's real fingerprints, and ones computed
 * "for another model" (fingerprints of slightly different weights).
 */
public final class ReferenceModel implements AutoCloseable {

  private final NDManager manager;
  private final Gpt2Model model;
  private final Map<String, String> fingerprints = new HashMap<>();

  private ReferenceModel(NDManager manager, Gpt2Model model) {
    this.manager = manager;
    this.model = model;
  }

  /** Loads a checkpoint directory. */
  public static ReferenceModel load(Path dir) {
    NDManager manager = NDManager.newBaseManager();
    return new ReferenceModel(manager, Gpt2Model.load(dir, manager));
  }

  /** The runtime model. */
  public Gpt2Model model() {
    return model;
  }

  /** The fingerprint of a base weight. */
  public synchronized String fingerprint(String name) {
    return fingerprints.computeIfAbsent(
        Gpt2Names.canonical(name), n -> Fingerprint.of(model.weights().base(n)));
  }

  /** Greedy completion text of {@code prompt} with {@code edits}, as demo-app would answer. */
  public String complete(String prompt, int maxNewTokens, List<Edit> edits) {
    long[] ids = model.encode(prompt);
    try (NDManager scope = manager.newSubManager()) {
      Gpt2Params params = params(edits, scope);
      long[] out =
          new Generator(model.function(), params, scope)
              .generate(ids, GenerationConfig.greedy(maxNewTokens));
      long[] generated = Arrays.copyOfRange(out, ids.length, out.length);
      long eos = model.config().eosTokenId();
      int n = 0;
      while (n < generated.length && generated[n] != eos) {
        n++;
      }
      return model.decode(Arrays.copyOf(generated, n));
    }
  }

  /** Logits {@code [B, T, vocab]} of equal-length id rows, flattened. */
  public float[] logits(long[][] ids, Gpt2Params params, NDManager scope) {
    NDArray input = scope.create(ids);
    return model.function().forward(input, params).toFloatArray();
  }

  /** Logits with {@code edits} bound by fingerprint. */
  public float[] logits(long[][] ids, List<Edit> edits) {
    try (NDManager scope = manager.newSubManager()) {
      return logits(ids, params(edits, scope), scope);
    }
  }

  /** Logits with {@code edits} applied by parameter name, whatever their fingerprints. */
  public float[] logitsByName(long[][] ids, List<Edit> edits) {
    try (NDManager scope = manager.newSubManager()) {
      Map<String, List<FactoredDelta>> deltas = new HashMap<>();
      for (Edit e : edits) {
        for (ParamDelta p : e.params()) {
          deltas.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.toNd(scope));
        }
      }
      return logits(ids, EditedParams.withDeltas(model.weights(), deltas), scope);
    }
  }

  private Gpt2Params params(List<Edit> edits, NDManager scope) {
    return edits.isEmpty()
        ? model.weights()
        : EditedParams.of(model.weights(), edits, this::fingerprint, scope);
  }

  /**
   * A MEND edit of {@code request} by the trained editor in {@code editorDir}, as the CLI makes.
   */
  public Edit mendEdit(Path editorDir, EditRequest request) {
    try (MendEditor editor = MendEditor.load(editorDir, model.config(), manager)) {
      return new MendEdits(model, editor).edit(List.of(request), model.weights());
    }
  }

  /**
   * A MEND edit of {@code request} by the editor in {@code editorDir}, computed on this model with
   * {@code on} applied (a sequential edit).
   */
  public Edit mendEdit(Path editorDir, EditRequest request, List<Edit> on) {
    try (MendEditor editor = MendEditor.load(editorDir, model.config(), manager);
        NDManager scope = manager.newSubManager()) {
      MendEdits edits = new MendEdits(model, editor);
      return edits.edit(List.of(request), edits.apply(on, scope));
    }
  }

  /**
   * {@code requests} edited one after another by the editor in {@code editorDir}, as a service
   * makes them: each on the model with the earlier ones composed ({@link MendEdits#editAmong}).
   */
  public List<Edit> mendEdits(Path editorDir, List<EditRequest> requests) {
    try (MendEditor editor = MendEditor.load(editorDir, model.config(), manager)) {
      MendEdits edits = new MendEdits(model, editor);
      List<Edit> made = new ArrayList<>();
      for (EditRequest r : requests) {
        made.add(
            edits.editAmong(
                List.of(r), made, EditComposition.Mode.LEAST_SQUARES, MendEdits.DEFAULT_PASSES));
      }
      return made;
    }
  }

  /** A real MEND edit (see {@link SeededEditor}). */
  public Edit mendEdit(String prompt, String target, double alpha) {
    return SeededEditor.edit(model, manager, prompt, target, alpha);
  }

  /** An edit with random factors on {@code params}, bound to this checkpoint's weights. */
  public Edit randomEdit(long seed, float alpha, String... params) {
    return randomEdit(seed, alpha, 4, false, params);
  }

  /** An edit with {@code rows} random factor rows per parameter, bound to this checkpoint. */
  public Edit randomEdit(long seed, float alpha, int rows, List<String> params) {
    return randomEdit(seed, alpha, rows, false, params.toArray(String[]::new));
  }

  /**
   * An edit with random factors on {@code params} whose fingerprints are those of this checkpoint's
   * weights plus 0.001: the same names and shapes, another model.
   */
  public Edit foreignEdit(long seed, float alpha, String... params) {
    return randomEdit(seed, alpha, 4, true, params);
  }

  private Edit randomEdit(long seed, float alpha, int rows, boolean foreign, String... params) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ParamDelta> deltas = new ArrayList<>();
    for (String name : params) {
      String canonical = Gpt2Names.canonical(name);
      NDArray base = model.weights().base(canonical);
      long in = base.getShape().get(0);
      long out = base.getShape().get(1);
      float[] u = new float[(int) (rows * in)];
      float[] d = new float[(int) (rows * out)];
      for (int i = 0; i < u.length; i++) {
        u[i] = (float) random.nextGaussian();
      }
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) random.nextGaussian();
      }
      String fingerprint;
      if (foreign) {
        try (NDArray other = base.add(1e-3f)) {
          fingerprint = Fingerprint.of(other);
        }
      } else {
        fingerprint = fingerprint(canonical);
      }
      deltas.add(new ParamDelta(canonical, new long[] {in, out}, fingerprint, rows, u, d, alpha));
    }
    return Edit.create(
        Instant.parse("2025-01-01T00:00:00Z"),
        "random",
        List.of(new EditRequest("random edit " + seed, "anything", null)),
        deltas);
  }

  @Override
  public void close() {
    manager.close();
  }
}
