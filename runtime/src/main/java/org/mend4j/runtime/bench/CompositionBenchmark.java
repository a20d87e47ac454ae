package org.mend4j.runtime.bench;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditComposition;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.generate.GenerationConfig;
import org.mend4j.runtime.generate.Generator;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Params;
import org.mend4j.runtime.mend.MendEdits;

/**
 * What lifelong editing costs: the time to add the Nth edit with N-1 active (computed on the served
 * model and refined, as the agent does) against one edit on the base model, the time of the
 * composition alone, the memory of the composed factors against the edits' own and a dense change,
 * and greedy decoding with every edit composed against the base model, all in one run. Each step
 * also counts the native arrays the process holds beyond those it held before the first addition:
 * an edit keeps nothing native (its factors are Java arrays), so any such array is a leak, which a
 * service editing all its life would pay for with every edit.
 */
public final class CompositionBenchmark {

  private final Gpt2Model model;
  private final MendEdits edits;
  private final int window;

  /**
   * A benchmark of {@code edits} on {@code model}; each "Nth edit" figure is the median of the
   * {@code window} additions up to N.
   */
  public CompositionBenchmark(Gpt2Model model, MendEdits edits, int window) {
    this.model = model;
    this.edits = edits;
    this.window = window;
  }

  /** Runs over the first {@code max(sizes)} cases. */
  public Map<String, Object> run(List<EditCase> cases, List<Integer> sizes, NDManager root) {
    int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    if (max > cases.size()) {
      throw new IllegalArgumentException(
          "asked for " + max + " edits but the data holds " + cases.size());
    }
    double[] single = new double[window];
    for (int i = 0; i < window; i++) {
      EditCase c = cases.get(i);
      single[i] = millis(() -> add(c, List.of()));
    }
    double singleMs = Figures.median(single);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("single_edit_ms", Figures.round(singleMs));
    List<Edit> active = new ArrayList<>();
    NativeArrays held = new NativeArrays(root);
    double[] adds = new double[max];
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      EditCase c = cases.get(i);
      long start = System.nanoTime();
      active.add(add(c, active));
      adds[i] = (System.nanoTime() - start) / 1e6;
      if (sizes.contains(i + 1)) {
        double addMs = Figures.median(Arrays.copyOfRange(adds, Math.max(0, i + 1 - window), i + 1));
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("n", i + 1);
        step.put("add_nth_edit_ms", Figures.round(addMs));
        step.put("add_nth_over_single", Figures.round(addMs / singleMs));
        step.put(
            "compose_ms",
            Figures.round(1e3 * Timer.medianSeconds(1, 3, () -> composeAndClose(active, root))));
        step.putAll(memory(active));
        step.put("native_arrays_added", held.added());
        steps.add(step);
      }
    }
    out.put("steps", steps);
    out.putAll(decoding(active, cases.get(0), root));
    return out;
  }

  private Edit add(EditCase c, List<Edit> active) {
    return edits.editAmong(
        List.of(new EditRequest(c.prompt(), c.targetNew(), c.rephrasePrompt())),
        active,
        EditComposition.Mode.LEAST_SQUARES,
        MendEdits.DEFAULT_PASSES);
  }

  private void composeAndClose(List<Edit> active, NDManager root) {
    try (NDManager scope = root.newSubManager()) {
      EditedParams.of(model.weights(), active, edits::fingerprint, scope);
    }
  }

  private static Map<String, Object> memory(List<Edit> active) {
    long composed = 0;
    long dense = 0;
    for (EditComposition.Composed c :
        EditComposition.compose(active, EditComposition.Mode.LEAST_SQUARES).values()) {
      composed += (long) c.rows() * (c.in() + c.out()) + (c.gate() == null ? 0 : c.rows());
      dense += (long) c.in() * c.out();
    }
    long stored = active.stream().mapToLong(Edit::storedFloats).sum();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("composed_mb", Figures.round(composed * 4 / 1e6));
    out.put("stored_edits_mb", Figures.round(stored * 4 / 1e6));
    out.put("dense_mb", Figures.round(dense * 4 / 1e6));
    return out;
  }

  private Map<String, Object> decoding(List<Edit> active, EditCase c, NDManager root) {
    long[] prompt = model.encode(c.prompt());
    GenerationConfig greedy = new GenerationConfig(32, 1, 1, 0, 0, 1, 0, false);
    try (NDManager scope = root.newSubManager()) {
      Gpt2Params composed = EditedParams.of(model.weights(), active, edits::fingerprint, scope);
      double base = tokensPerSecond(model.weights(), prompt, greedy, root);
      double edited = tokensPerSecond(composed, prompt, greedy, root);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("decode_tokens_per_s_base", Figures.round(base));
      out.put("decode_tokens_per_s_composed", Figures.round(edited));
      out.put("decode_composed_over_base", Figures.round(edited / base));
      return out;
    }
  }

  private double tokensPerSecond(
      Gpt2Params params, long[] prompt, GenerationConfig config, NDManager root) {
    Generator generator = new Generator(model.function(), params, root);
    double seconds = Timer.medianSeconds(2, 5, () -> generator.generate(prompt, config));
    return config.maxNewTokens() / seconds;
  }

  private static double millis(Runnable task) {
    long start = System.nanoTime();
    task.run();
    return (System.nanoTime() - start) / 1e6;
  }
}
