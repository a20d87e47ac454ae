package org.mend4j.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditComposition;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.ParamDelta;

class FusedFactorsTest {

  @Test
  void editsWithoutKeysAddUpToTheSumOfTheirDenseDeltas() {
    Param w = new Param("transformer.h.0.mlp.c_fc.weight", 5, 7, "sha256:w");
    ParamDelta a = TestEdits.delta(w, 2, 0.3f, 1);
    ParamDelta b = TestEdits.delta(w, 3, -1.7f, 2);
    EditComposition.Composed c =
        EditComposition.compose(List.of(edit(a), edit(b)), EditComposition.Mode.LEAST_SQUARES)
            .get("transformer.h.0.mlp.c_fc.weight");
    FusedFactors f = FusedFactors.of("k", c, 2);
    assertThat(f.gated()).isFalse();
    assertThat(f.rows()).isEqualTo(5);
    assertThat(f.edits()).isEqualTo(2);
    float[] fused = dense(f.transposedU(), f.scaledDelta(), 5, 7, 5, true);
    float[] expected = new float[35];
    for (ParamDelta p : List.of(a, b)) {
      float[] d = dense(p.u(), p.delta(), 5, 7, p.rows(), false);
      for (int i = 0; i < 35; i++) {
        expected[i] += p.alpha() * d[i];
      }
    }
    for (int i = 0; i < 35; i++) {
      assertThat(fused[i]).isCloseTo(expected[i], within(1e-4f));
    }
    f.release();
    assertThat(f.transposedU()).isNull();
  }

  private static Edit edit(ParamDelta p) {
    return Edit.create(
        Instant.EPOCH, "test", List.of(new EditRequest("p" + p.alpha(), "t", null)), List.of(p));
  }

  /** {@code sum_r u[r]^T d[r]} as a dense {@code [in, out]}; u given as [n,in] or as [in,n]. */
  private static float[] dense(float[] u, float[] d, int in, int out, int n, boolean transposed) {
    float[] w = new float[in * out];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < in; i++) {
        float ui = transposed ? u[i * n + r] : u[r * in + i];
        for (int j = 0; j < out; j++) {
          w[i * out + j] += ui * d[r * out + j];
        }
      }
    }
    return w;
  }
}
