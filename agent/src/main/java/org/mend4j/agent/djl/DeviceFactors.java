package org.mend4j.agent.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.Cleaner;
import java.util.function.BooleanSupplier;
import org.mend4j.agent.internal.AgentCleaner;
import org.mend4j.agent.internal.WeakIdentityMap;
import org.mend4j.agent.registry.FusedFactors;
import org.mend4j.runtime.gpt2.FactorProducts;

/**
 * The engine copy of a {@link FusedFactors}, created on first use in an agent-owned manager (never
 * in the host's) and kept, per copy of DJL, in a weak map keyed by the factors, so it is made once,
 * not per call. It stays factored ({@code U^T}, {@code D}) while that is cheaper; once the stacked
 * rows N exceed {@code in * out / (in + out)} (about 15 ten-row edits on a 192x768 weight, 61 on
 * 768x3072), the product {@code dW = U^T D} is both smaller and cheaper to apply, so the engine
 * copy is that dense {@code [in, out]} matrix instead (the edits themselves stay factored), unless
 * the rows are gated ({@link FusedFactors#gated()}), which only the factors compute. When the
 * factors become unreachable (their snapshots replaced and no call still using them), a {@link
 * Cleaner} closes the manager; callers hold the factors reachable while they compute ({@code
 * Reference.reachabilityFence}).
 *
 * <p>This is the on-device form of a change, the last of its layers (stored edit {@code
 * ParamDelta}, composed on the Java side {@link FusedFactors}, on the device this); its arithmetic
 * is {@link FactorProducts}'s, the same the runtime's {@code FactoredDelta} computes with. Like
 * this class, that one is defined anew beside each copy of DJL ({@code hook.DjlCopyLoader}), so
 * both work on this copy's arrays.
 */
final class DeviceFactors {

  /** This copy's engine copies of the factors in use (per copy: this class is). */
  private static final WeakIdentityMap<FusedFactors, DeviceFactors> REALISED =
      new WeakIdentityMap<>();

  private static volatile NDManager root;
  private static volatile BooleanSupplier releaseJavaCopies = () -> true;

  private final NDArray transposedU;
  private final NDArray scaledDelta;
  private final NDArray gate;
  private final NDArray dense;

  private DeviceFactors(NDArray transposedU, NDArray scaledDelta, NDArray gate, NDArray dense) {
    this.transposedU = transposedU;
    this.scaledDelta = scaledDelta;
    this.gate = gate;
    this.dense = dense;
  }

  /**
   * Whether {@code N (in + out) > in * out}: the dense product is cheaper than the factors (never
   * for gated factors, which are not linear).
   */
  static boolean denseIsCheaper(FusedFactors f) {
    return !f.gated() && (long) f.rows() * (f.in() + f.out()) > (long) f.in() * f.out();
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
    return FactorProducts.contribution(x, transposedU, scaledDelta, gate);
  }

  /**
   * {@code W + dW^T}, the layer's weight with these edits merged in, in DJL's {@code [out, in]}
   * layout, as a new array of {@code into}. It is computed in HF layout, {@code dW + W^T} (one
   * addition of float32 values: the same sum as {@code FunctionalGpt2}'s {@code W + dW}), and
   * returned as its transposed view, so that a host weight loaded as {@code
   * setArray(hf.transpose())} (DESIGN: the usual way) and the merged one have the same memory
   * layout. The host's array is only read.
   *
   * @param hostWeight the layer's weight, {@code [out, in]}, float32, on this copy's device
   * @param into the manager that owns the result
   */
  NDArray mergedWith(NDArray hostWeight, NDManager into) {
    NDArray hf;
    try (NDArray hostHf = hostWeight.transpose()) {
      hf = addedTo(hostHf, into);
    }
    NDArray merged = hf.transpose();
    merged.attach(into);
    return merged;
  }

  /**
   * {@code dW + W} for a weight in HF layout {@code [in, out]}, as a new array of {@code into},
   * without gradient. Gated rows count as open: a weight changed once for every input cannot gate
   * by input (rows that a later edit superseded are zero, so they still add nothing).
   *
   * @param hfWeight the weight, {@code [in, out]}, float32, on this copy's device; only read
   * @param into the manager that owns the result
   */
  NDArray addedTo(NDArray hfWeight, NDManager into) {
    NDArray hf;
    if (dense != null) {
      hf = dense.add(hfWeight);
    } else { // the weight added into the fresh product: one weight-sized array made, not two
      hf = FactorProducts.product(transposedU, scaledDelta).addi(hfWeight);
    }
    hf.attach(into);
    if (hf.hasGradient()) { // the host's weight required gradients: keep no graph
      NDArray detached = hf.stopGradient();
      detached.attach(into);
      hf.close();
      hf = detached;
    }
    return hf;
  }

  /** This copy's engine copy of {@code f}, or null if none was made. */
  static DeviceFactors madeFor(FusedFactors f) {
    return REALISED.get(f);
  }

  /** The engine copy of {@code f} on the device and engine of {@code x}. */
  static DeviceFactors of(FusedFactors f, NDArray x) {
    DeviceFactors cached = REALISED.get(f);
    if (cached != null) {
      return cached;
    }
    synchronized (f) {
      cached = REALISED.get(f);
      if (cached != null) {
        return cached;
      }
      NDManager manager = root(x).newSubManager();
      try {
        NDArray ut = manager.create(f.transposedU(), new Shape(f.in(), f.rows()));
        NDArray d0 = manager.create(f.scaledDelta(), new Shape(f.rows(), f.out()));
        DeviceFactors d;
        if (denseIsCheaper(f)) {
          d = new DeviceFactors(null, null, null, FactorProducts.product(ut, d0));
          ut.close();
          d0.close();
        } else {
          NDArray g = f.gated() ? manager.create(f.gate(), new Shape(f.rows())) : null;
          d = new DeviceFactors(ut, d0, g, null);
        }
        AgentCleaner.CLEANER.register(f, manager::close);
        REALISED.computeIfAbsent(f, k -> d);
        if (releaseJavaCopies.getAsBoolean()) {
          f.release();
        }
        return d;
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    }
  }

  /**
   * When factors drop their Java copies once this copy of DJL has its engine copy: only while it is
   * the one copy in the JVM (another would need them for its own).
   */
  static void releaseJavaCopiesWhile(BooleanSupplier sole) {
    releaseJavaCopies = sole;
  }

  /** The agent's own root manager on the device and engine of {@code x}. */
  static NDManager root(NDArray x) {
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
