package org.mend4j.agent.hook;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.Cleaner;
import org.mend4j.agent.registry.FusedFactors;

/**
 * The engine copy of a {@link FusedFactors}, created on first use in an agent-owned manager (never
 * in the host's) and kept in the factors' {@link FusedFactors#realised() slot}, so it is made once,
 * not per call. It stays factored ({@code U^T}, {@code D}) while that is cheaper; once the stacked
 * rows N exceed {@code in * out / (in + out)} (about 15 ten-row edits on a 192x768 weight, 61 on
 * 768x3072), the product {@code dW = U^T D} is both smaller and cheaper to apply, so the engine
 * copy is that dense {@code [in, out]} matrix instead (the edits themselves stay factored). When
 * the factors become unreachable (their snapshots replaced and no call still using them), a {@link
 * Cleaner} closes the manager; callers hold the factors reachable while they compute ({@code
 * Reference.reachabilityFence}).
 */
final class DeviceFactors {

  private static final Cleaner CLEANER =
      Cleaner.create(
          r -> {
            Thread t = new Thread(r, "mend4j-factor-cleaner");
            t.setDaemon(true);
            return t;
          });

  private static volatile NDManager root;

  private final NDArray transposedU;
  private final NDArray scaledDelta;
  private final NDArray dense;

  private DeviceFactors(NDArray transposedU, NDArray scaledDelta, NDArray dense) {
    this.transposedU = transposedU;
    this.scaledDelta = scaledDelta;
    this.dense = dense;
  }

  /** Whether {@code N (in + out) > in * out}: the dense product is cheaper than the factors. */
  static boolean denseIsCheaper(FusedFactors f) {
    return (long) f.rows() * (f.in() + f.out()) > (long) f.in() * f.out();
  }

  /** Whether this copy is the dense product. */
  boolean isDense() {
    return dense != null;
  }

  /** {@code x dW} for {@code x [..., in]}: the sum of the edits' contributions, in x's manager. */
  NDArray delta(NDArray x) {
    if (dense != null) {
      return x.matMul(dense);
    }
    try (NDArray xu = x.matMul(transposedU)) {
      return xu.matMul(scaledDelta);
    }
  }

  /** The engine copy of {@code f} on the device and engine of {@code x}. */
  static DeviceFactors of(FusedFactors f, NDArray x) {
    if (f.realised().get() instanceof DeviceFactors d) {
      return d;
    }
    synchronized (f) {
      if (f.realised().get() instanceof DeviceFactors d) {
        return d;
      }
      NDManager manager = root(x).newSubManager();
      try {
        NDArray ut = manager.create(f.transposedU(), new Shape(f.in(), f.rows()));
        NDArray d0 = manager.create(f.scaledDelta(), new Shape(f.rows(), f.out()));
        DeviceFactors d;
        if (denseIsCheaper(f)) {
          d = new DeviceFactors(null, null, ut.matMul(d0));
          ut.close();
          d0.close();
        } else {
          d = new DeviceFactors(ut, d0, null);
        }
        CLEANER.register(f, manager::close);
        f.realised().set(d);
        f.release();
        return d;
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    }
  }

  private static NDManager root(NDArray x) {
    NDManager r = root;
    if (r == null) {
      synchronized (DeviceFactors.class) {
        r = root;
        if (r == null) {
          r = NDManager.newBaseManager(x.getDevice(), x.getManager().getEngine().getEngineName());
          root = r;
        }
      }
    }
    return r;
  }
}
