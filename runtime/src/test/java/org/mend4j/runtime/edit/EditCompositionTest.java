package org.mend4j.runtime.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The composition on small, exact cases: identity covariance ({@code C = I}, whitened keys equal
 * the keys), so every expected number is computed by hand.
 */
class EditCompositionTest {

  private static final String W = "transformer.h.0.mlp.c_fc.weight";
  private static final int IN = 8;
  private static final int OUT = 3;

  /** An edit of W with one key and one value, a small lambda and the given gate. */
  private static Edit edit(float[] key, float[] value, float gate) {
    KeyValues kv = new KeyValues(1, key, key.clone(), value, 1e-4f, gate);
    ParamDelta p =
        new ParamDelta(W, new long[] {IN, OUT}, "sha256:w", 1, key.clone(), value.clone(), 1f, kv);
    return Edit.create(
        Instant.EPOCH, "test", List.of(new EditRequest(key[0] + "", "t", null)), List.of(p));
  }

  private static float[] unit(int i) {
    float[] k = new float[IN];
    k[i] = 1;
    return k;
  }

  /** {@code x dW} with the composed factors and gates. */
  private static float[] apply(EditComposition.Composed c, float[] x) {
    float[] y = new float[c.out()];
    for (int r = 0; r < c.rows(); r++) {
      double coefficient = 0;
      for (int i = 0; i < c.in(); i++) {
        coefficient += x[i] * c.u()[r * c.in() + i];
      }
      if (c.gate() != null && !(coefficient > c.gate()[r])) {
        continue;
      }
      for (int j = 0; j < c.out(); j++) {
        y[j] += (float) (coefficient * c.delta()[r * c.out() + j]);
      }
    }
    return y;
  }

  private static EditComposition.Composed compose(List<Edit> edits) {
    return EditComposition.compose(edits, EditComposition.Mode.LEAST_SQUARES).get(W);
  }

  @Test
  void everyEditKeepsItsValueAtItsKeyWhereSummingWouldNot() {
    SplittableRandom random = new SplittableRandom(7);
    float[][] keys = new float[5][IN];
    float[][] values = new float[5][OUT];
    for (int e = 0; e < 5; e++) {
      for (int i = 0; i < IN; i++) {
        keys[e][i] = (float) random.nextGaussian();
      }
      for (int j = 0; j < OUT; j++) {
        values[e][j] = (float) random.nextGaussian();
      }
    }
    List<Edit> edits = new java.util.ArrayList<>();
    for (int e = 0; e < 5; e++) {
      edits.add(edit(keys[e], values[e], 0));
    }
    EditComposition.Composed c = compose(edits);
    assertThat(c.gate()).isNull();
    assertThat(c.solvedEdits()).isEqualTo(5);
    for (int e = 0; e < 5; e++) {
      float[] y = apply(c, keys[e]);
      for (int j = 0; j < OUT; j++) {
        assertThat(y[j]).isCloseTo(values[e][j], within(1e-3f));
      }
    }
    EditComposition.Composed sum = EditComposition.compose(edits, EditComposition.Mode.SUM).get(W);
    float[] summed = apply(sum, keys[0]);
    assertThat(Math.abs(summed[0] - values[0][0]) + Math.abs(summed[1] - values[0][1]))
        .as("the plain sum misses: every other edit moves this key too")
        .isGreaterThan(0.1f);
  }

  @Test
  void aGatedRowLeavesInputsFarFromItsKeyExactlyAlone() {
    EditComposition.Composed c =
        compose(
            List.of(
                edit(unit(0), new float[] {1, 2, 3}, 0.7f),
                edit(unit(1), new float[] {-1, 0, 1}, 0.7f)));
    assertThat(apply(c, unit(0))).containsExactly(new float[] {1, 2, 3}, within(1e-3f));
    assertThat(apply(c, unit(2))).containsExactly(0, 0, 0);
    float[] mostlyKey0 = unit(0);
    mostlyKey0[3] = 0.5f;
    assertThat(apply(c, mostlyKey0))
        .as("a paraphrase-like input still opens the gate")
        .containsExactly(new float[] {1, 2, 3}, within(1e-3f));
    float[] weak = unit(0);
    weak[0] = 0.5f;
    assertThat(apply(c, weak)).as("projection 0.5 < 0.7").containsExactly(0, 0, 0);
  }

  @Test
  void aLaterEditOfTheSameKeySupersedesTheEarlierOne() {
    float[] again = unit(0);
    again[1] = 0.2f; // the same fact through another prompt: projections 0.96 and 1
    EditComposition.Composed c =
        compose(
            List.of(
                edit(unit(0), new float[] {1, 0, 0}, 0.7f),
                edit(again, new float[] {0, 0, 5}, 0.7f)));
    assertThat(c.supersededRows()).isEqualTo(1);
    assertThat(apply(c, again)).containsExactly(new float[] {0, 0, 5}, within(1e-3f));
    assertThat(apply(c, unit(0)))
        .as("the old prompt follows the new answer")
        .containsExactly(new float[] {0, 0, 5f / 1.04f}, within(1e-2f));
    EditComposition.Composed other =
        compose(
            List.of(
                edit(unit(0), new float[] {1, 0, 0}, 0.7f),
                edit(unit(1), new float[] {0, 0, 5}, 0.7f)));
    assertThat(other.supersededRows()).isZero();
  }

  @Test
  void withinABatchedEditALaterRequestOfTheSameFactSupersedesAnEarlierOne() {
    float[] again = unit(0);
    again[1] = 0.2f;
    float[] keys = new float[2 * IN];
    System.arraycopy(unit(0), 0, keys, 0, IN);
    System.arraycopy(again, 0, keys, IN, IN);
    float[] values = {1, 0, 0, 0, 0, 5};
    KeyValues kv = new KeyValues(2, keys, keys.clone(), values, 1e-4f, 0.7f, new int[] {0, 1});
    ParamDelta p =
        new ParamDelta(
            W, new long[] {IN, OUT}, "sha256:w", 2, keys.clone(), new float[2 * OUT], 1f, kv);
    Edit batch =
        Edit.create(
            Instant.EPOCH,
            "test",
            List.of(new EditRequest("a", "t", null), new EditRequest("b", "u", null)),
            List.of(p));
    EditComposition.Composed c = compose(List.of(batch));
    assertThat(c.supersededRows()).isEqualTo(1);
    assertThat(apply(c, again)).containsExactly(new float[] {0, 0, 5}, within(1e-3f));
  }

  @Test
  void aRevisionIsComputedWithoutTheRowsItSupersedesNorItself() {
    float[] again = unit(0);
    again[1] = 0.2f; // the same fact as unit(0) through another prompt
    Edit old = edit(unit(0), new float[] {1, 0, 0}, 0.7f);
    Edit other = edit(unit(2), new float[] {0, 4, 0}, 0.7f);
    Edit revision = edit(again, new float[] {0, 0, 5}, 0.7f);
    EditComposition.Composed c =
        EditComposition.composeRevising(List.of(old, other), revision).get(W);
    assertThat(apply(c, unit(0))).as("the superseded edit is gone").containsExactly(0, 0, 0);
    assertThat(apply(c, again)).as("and so is the revision").containsExactly(0, 0, 0);
    assertThat(apply(c, unit(2)))
        .as("another fact still holds")
        .containsExactly(new float[] {0, 4, 0}, within(1e-3f));
    assertThat(EditComposition.composeRevising(List.of(other), revision))
        .as("a new fact revises nothing")
        .isNull();
  }

  @Test
  void theCompositionIsAFunctionOfTheActiveEditsAlone() {
    Edit a = edit(unit(0), new float[] {1, 2, 3}, 0.7f);
    Edit b = edit(unit(1), new float[] {4, 5, 6}, 0.7f);
    Edit c = edit(unit(2), new float[] {7, 8, 9}, 0.7f);
    EditComposition.Composed withoutB = compose(List.of(a, c));
    EditComposition.Composed again = compose(List.of(a, c));
    assertThat(withoutB.delta()).containsExactly(again.delta());
    assertThat(apply(compose(List.of(a, b, c)), unit(1)))
        .containsExactly(new float[] {4, 5, 6}, within(1e-3f));
    assertThat(apply(withoutB, unit(1))).containsExactly(0, 0, 0);
  }

  @Test
  void editsWithoutKeysAreAddedAsTheirOwnScaledFactors() {
    ParamDelta legacy =
        new ParamDelta(
            W, new long[] {IN, OUT}, "sha256:w", 1, unit(3), new float[] {1, 1, 1}, 0.5f);
    Edit old =
        Edit.create(
            Instant.EPOCH, "test", List.of(new EditRequest("old", "t", null)), List.of(legacy));
    EditComposition.Composed c = compose(List.of(old, edit(unit(0), new float[] {1, 2, 3}, 0.7f)));
    assertThat(c.solvedEdits()).isEqualTo(1);
    assertThat(c.gate()[1]).as("the summed row is never gated").isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(apply(c, unit(3))).containsExactly(0.5f, 0.5f, 0.5f);
  }

  @Test
  void editsOfOneWeightWithDifferentShapesAreRefused() {
    ParamDelta wrong =
        new ParamDelta(W, new long[] {IN, OUT + 1}, "sha256:w", 1, unit(0), new float[OUT + 1], 1f);
    Edit bad =
        Edit.create(
            Instant.EPOCH, "test", List.of(new EditRequest("x", "t", null)), List.of(wrong));
    assertThatThrownBy(() -> compose(List.of(edit(unit(0), new float[] {1, 2, 3}, 0), bad)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot compose");
  }

  @Test
  void keyValuesRefuseABadGateOrLambda() {
    assertThatThrownBy(() -> new KeyValues(1, new float[1], new float[1], new float[1], 0, 0.5f))
        .hasMessageContaining("lambda");
    assertThatThrownBy(() -> new KeyValues(1, new float[1], new float[1], new float[1], 1, 1.5f))
        .hasMessageContaining("gate");
  }
}
