package org.mend4j.runtime.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditedParams;
import org.mend4j.runtime.gpt2.FactorProducts;
import org.mend4j.runtime.gpt2.FactoredDelta;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.gpt2.Gpt2Weights;

/**
 * The composed edits as new dense weights {@code W + U^T D} (HF layout), from exactly the factors
 * {@code generate --edit} applies ({@link EditedParams}, least squares). A dense weight has no
 * gates: a gated row, which the functional model applies only where the input projects on its key,
 * is applied to every input; a row a later edit superseded (gate +inf: never applied) is left out.
 */
final class DenseChanges {

  /**
   * A weight's merged values.
   *
   * @param values the new weight, HF layout, row-major float32
   * @param rows composed factor rows folded in
   * @param gatedRows rows the functional model gates
   */
  record Change(float[] values, int rows, int gatedRows) {}

  private DenseChanges() {}

  /**
   * The new values of every weight {@code edits} change, by canonical name, in checkpoint order.
   *
   * @param fingerprintOf the fingerprint of a base weight by canonical name
   * @throws IllegalArgumentException if an edit was computed for another model
   */
  static Map<String, Change> of(
      Gpt2Weights weights,
      List<Edit> edits,
      Function<String, String> fingerprintOf,
      NDManager manager) {
    EditedParams edited = EditedParams.of(weights, edits, fingerprintOf, manager);
    Map<String, Change> changes = new LinkedHashMap<>();
    for (String name : Gpt2Names.shapes(weights.config()).keySet()) {
      List<FactoredDelta> deltas = edited.deltas(name);
      if (deltas.isEmpty()) {
        continue;
      }
      try (NDManager scope = manager.newSubManager()) {
        NDArray sum = weights.base(name).duplicate();
        sum.attach(scope);
        int rows = 0;
        int gated = 0;
        for (FactoredDelta d : deltas) {
          NDArray delta = d.delta();
          if (d.gate() != null) {
            float[] gate = d.gate().toFloatArray();
            float[] keep = new float[gate.length];
            for (int r = 0; r < gate.length; r++) {
              keep[r] = gate[r] == Float.POSITIVE_INFINITY ? 0 : 1;
              gated += Float.isFinite(gate[r]) ? 1 : 0;
            }
            delta = delta.mul(scope.create(keep).toType(DataType.FLOAT32, false).expandDims(1));
          }
          rows += Math.toIntExact(d.u().getShape().get(0));
          NDArray dense = FactorProducts.product(d.u().transpose(), delta).mul(d.alpha());
          dense.attach(scope);
          sum = sum.add(dense);
        }
        changes.put(name, new Change(sum.toFloatArray(), rows, gated));
      }
    }
    return changes;
  }
}
