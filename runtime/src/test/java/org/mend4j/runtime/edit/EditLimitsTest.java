package org.mend4j.runtime.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EditLimitsTest {

  private static ParamDelta param(float alpha, KeyValues kv) {
    return new ParamDelta(
        "transformer.h.1.mlp.c_fc.weight",
        new long[] {2, 3},
        "sha256:abc",
        2,
        new float[] {1, 2, 3, 4},
        new float[] {0.5f, -1, 2, 3, 4, 5},
        alpha,
        kv);
  }

  @Test
  void theFactorNormIsTheDenseChangesFrobeniusNorm() {
    ParamDelta p = param(1, null);
    double sum = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        double dw = 0;
        for (int r = 0; r < 2; r++) {
          dw += p.u()[r * 2 + i] * p.delta()[r * 3 + j];
        }
        sum += dw * dw;
      }
    }
    assertThat(EditLimits.factorNorm(p)).isCloseTo(Math.sqrt(sum), within(1e-9));
  }

  @Test
  void aChangeLargerThanTheLimitIsNamedWithItsSize() {
    double norm = EditLimits.factorNorm(param(1, null));
    assertThat(EditLimits.changeProblem(param(1e-3f, null), norm)).isNull();
    assertThat(EditLimits.changeProblem(param(-9.9f, null), norm)).isNull();
    assertThat(EditLimits.changeProblem(param(1000f, null), norm))
        .contains("parameter 'transformer.h.1.mlp.c_fc.weight'")
        .contains("1.00e+03 times the weight's own norm")
        .contains("alpha 1000.0");
    assertThat(EditLimits.changeProblem(param(1, null), 0)).contains("Infinity");
  }

  @Test
  void aValueFarLargerThanItsKeyCanGiveIsRefused() {
    double weightNorm = 10;
    KeyValues small =
        new KeyValues(1, new float[] {3, 4}, new float[] {1, 1}, new float[] {0, 30, 40}, 2, 0.7f);
    KeyValues huge =
        new KeyValues(
            1, new float[] {3, 4}, new float[] {1, 1}, new float[] {0, 30000, 40000}, 2, 0.7f);
    assertThat(EditLimits.changeProblem(param(1e-3f, small), weightNorm)).isNull();
    assertThat(EditLimits.changeProblem(param(1e-3f, huge), weightNorm))
        .contains("value 0 is 1.00e+03 times what its weight gives its key");
  }
}
