package org.mend4j.agent.hook;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.Cleaner;
import org.mend4j.agent.registry.FusedFactors;

/**
 * The engine copy of a {@link FusedFactors}, created on first use in an agent-owned manager (never
 * in the host's) and kept in the factors' {@link FusedFactors#realised() slot}, so it is made once,
 * not per call. When the factors become unreachable (their snapshots replaced and no call still
 * using them), a {@link Cleaner} closes the manager; callers hold the factors reachable while they
 * compute ({@code Reference.reachabilityFence}).
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

  final NDArray transposedU;
  final NDArray scaledDelta;

  private DeviceFactors(NDArray transposedU, NDArray scaledDelta) {
    this.transposedU = transposedU;
    this.scaledDelta = scaledDelta;
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
        DeviceFactors d =
            new DeviceFactors(
                manager.create(f.transposedU(), new Shape(f.in(), f.rows())),
                manager.create(f.scaledDelta(), new Shape(f.rows(), f.out())));
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
