package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.mend4j.runtime.gpt2.FactoredDelta;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.gpt2.Gpt2Params;

/**
 * A model's base weights with factored deltas on top: the functional model MEND edits and
 * evaluates. The base is shared, never copied or changed.
 */
public final class EditedParams implements Gpt2Params {

  private final Gpt2Params base;
  private final Map<String, List<FactoredDelta>> deltas;

  private EditedParams(Gpt2Params base, Map<String, List<FactoredDelta>> deltas) {
    this.base = base;
    this.deltas = deltas;
  }

  /** {@code base} with the given deltas per canonical weight name. */
  public static EditedParams withDeltas(Gpt2Params base, Map<String, List<FactoredDelta>> deltas) {
    Map<String, List<FactoredDelta>> copy = new HashMap<>();
    deltas.forEach((name, list) -> copy.put(Gpt2Names.canonical(name), List.copyOf(list)));
    return new EditedParams(base, copy);
  }

  /**
   * {@code base} with {@code edits} composed ({@link EditComposition}, least squares), their
   * factors created in {@code manager}.
   *
   * @param fingerprintOf the fingerprint of a base weight by canonical name
   * @throws IllegalArgumentException naming the edit and parameter if an edit was computed for a
   *     different weight
   */
  public static EditedParams of(
      Gpt2Params base,
      List<Edit> edits,
      Function<String, String> fingerprintOf,
      NDManager manager) {
    return of(base, edits, fingerprintOf, EditComposition.Mode.LEAST_SQUARES, manager);
  }

  /** {@code base} with {@code edits} combined by {@code mode}; see {@link #of}. */
  public static EditedParams of(
      Gpt2Params base,
      List<Edit> edits,
      Function<String, String> fingerprintOf,
      EditComposition.Mode mode,
      NDManager manager) {
    checkFingerprints(edits, fingerprintOf);
    return of(base, EditComposition.compose(edits, mode), manager);
  }

  /**
   * Checks that every parameter of {@code edits} was computed against the weight {@code
   * fingerprintOf} gives for its name.
   *
   * @throws IllegalArgumentException naming the edit, the parameter and both fingerprints
   */
  public static void checkFingerprints(List<Edit> edits, Function<String, String> fingerprintOf) {
    for (Edit edit : edits) {
      for (ParamDelta p : edit.params()) {
        String expected = fingerprintOf.apply(Gpt2Names.canonical(p.name()));
        if (!p.fingerprint().equals(expected)) {
          throw new IllegalArgumentException(
              "edit "
                  + edit.id()
                  + " was computed for another model: parameter '"
                  + p.name()
                  + "' has fingerprint "
                  + p.fingerprint()
                  + " but this model's is "
                  + expected);
        }
      }
    }
  }

  /**
   * {@code base} with the {@code active} edits composed as {@code revision} should be computed on
   * them: without the rows it supersedes ({@link EditComposition#composeRevising}); null when it
   * supersedes none.
   */
  public static EditedParams revising(
      Gpt2Params base,
      List<Edit> active,
      Edit revision,
      Function<String, String> fingerprintOf,
      NDManager manager) {
    List<Edit> all = new ArrayList<>(active);
    all.add(revision);
    checkFingerprints(all, fingerprintOf);
    Map<String, EditComposition.Composed> composed =
        EditComposition.composeRevising(active, revision);
    return composed == null ? null : of(base, composed, manager);
  }

  private static EditedParams of(
      Gpt2Params base, Map<String, EditComposition.Composed> composed, NDManager manager) {
    Map<String, List<FactoredDelta>> deltas = new HashMap<>();
    composed.forEach(
        (name, c) -> {
          NDArray u = manager.create(c.u(), new Shape(c.rows(), c.in()));
          NDArray d = manager.create(c.delta(), new Shape(c.rows(), c.out()));
          NDArray gate = c.gate() == null ? null : manager.create(c.gate());
          deltas.put(name, List.of(new FactoredDelta(u, d, manager.create(1f), gate, false)));
        });
    return new EditedParams(base, deltas);
  }

  /**
   * {@code params} with every delta {@linkplain FactoredDelta#asConstant constant}: the same
   * forward pass, with gradients through the base weights only.
   */
  public static Gpt2Params withConstantDeltas(Gpt2Params params) {
    return mapped(params, FactoredDelta::asConstant);
  }

  /**
   * {@code params} with every delta's {@linkplain FactoredDelta#withGatesOpen gates open}: the
   * model that a host whose weights are changed in place computes.
   */
  public static Gpt2Params withGatesOpen(Gpt2Params params) {
    return mapped(params, FactoredDelta::withGatesOpen);
  }

  private static Gpt2Params mapped(Gpt2Params params, UnaryOperator<FactoredDelta> change) {
    return new Gpt2Params() {
      @Override
      public NDArray base(String name) {
        return params.base(name);
      }

      @Override
      public Optional<NDArray> paddedStorage(String name) {
        return params.paddedStorage(name);
      }

      @Override
      public List<FactoredDelta> deltas(String name) {
        return params.deltas(name).stream().map(change).toList();
      }
    };
  }

  @Override
  public NDArray base(String name) {
    return base.base(name);
  }

  @Override
  public Optional<NDArray> paddedStorage(String name) {
    return base.paddedStorage(name);
  }

  @Override
  public List<FactoredDelta> deltas(String name) {
    List<FactoredDelta> own = deltas.getOrDefault(Gpt2Names.canonical(name), List.of());
    List<FactoredDelta> inherited = base.deltas(name);
    if (inherited.isEmpty()) {
      return own;
    }
    List<FactoredDelta> all = new ArrayList<>(inherited);
    all.addAll(own);
    return all;
  }
}
