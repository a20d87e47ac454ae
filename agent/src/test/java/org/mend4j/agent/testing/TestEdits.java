package org.mend4j.agent.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.ParamDelta;

/** Edits with random factors, for tests that need edits but not MEND. */
public final class TestEdits {

  private TestEdits() {}

  /** One parameter of a test edit. */
  public record Param(String name, long in, long out, String fingerprint) {}

  /** A random factored delta for {@code param} with {@code rows} rows. */
  public static ParamDelta delta(Param param, int rows, float alpha, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] u = new float[(int) (rows * param.in())];
    float[] d = new float[(int) (rows * param.out())];
    for (int i = 0; i < u.length; i++) {
      u[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) random.nextGaussian();
    }
    return new ParamDelta(
        param.name(), new long[] {param.in(), param.out()}, param.fingerprint(), rows, u, d, alpha);
  }

  /** One request {@code prompt -> "target"}. */
  public static List<EditRequest> requests(String prompt) {
    return List.of(new EditRequest(prompt, "target", null));
  }

  /** An edit of every given parameter, distinct per {@code seed}. */
  public static Edit edit(String prompt, long seed, Param... params) {
    List<ParamDelta> deltas = new ArrayList<>();
    for (int i = 0; i < params.length; i++) {
      deltas.add(delta(params[i], 3, 0.5f, seed * 31 + i));
    }
    return Edit.create(
        Instant.parse("2025-01-01T00:00:00Z"), "test-editor", requests(prompt), deltas);
  }
}
