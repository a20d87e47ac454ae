package org.mend4j.runtime.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
   * {@code base} with {@code edits} applied in order, their factors created in {@code manager}.
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
    Map<String, List<FactoredDelta>> deltas = new HashMap<>();
    for (Edit edit : edits) {
      for (ParamDelta p : edit.params()) {
        String name = Gpt2Names.canonical(p.name());
        String expected = fingerprintOf.apply(name);
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
        deltas.computeIfAbsent(name, k -> new ArrayList<>()).add(p.toNd(manager));
      }
    }
    return new EditedParams(base, deltas);
  }

  @Override
  public NDArray base(String name) {
    return base.base(name);
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
