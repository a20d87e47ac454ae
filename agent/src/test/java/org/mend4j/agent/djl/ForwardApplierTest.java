package org.mend4j.agent.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.binding.NameMapping;
import org.mend4j.agent.bootstrap.SettingKeys;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.VariantHeaderPolicy;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.FusedFactors;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.agent.testing.TestLayers;
import org.mend4j.agent.testing.TestLayers.Layer;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.ParamDelta;

class ForwardApplierTest {

  private static final int IN = 6;
  private static final int OUT = 10;

  private NDManager manager;
  private Layer layer;
  private final LayerCatalog catalog = new LayerCatalog();
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private EditRegistry registry;
  private HostBinder binder;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    layer = TestLayers.linear(manager, IN, OUT, 7);
    catalog.track(layer.linear());
    binder =
        new HostBinder(
            catalog,
            new BlockTree(),
            Map.of(LayerSpec.LINEAR.className(), LayerSpec.LINEAR),
            NameMapping.NONE);
    registry = new EditRegistry(current, binder, () -> true, false);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private ForwardApplier applier() {
    return new ForwardApplier(
        registry,
        catalog,
        binder,
        new HookCounters(),
        new VariantRouter(VariantHeaderPolicy.ANY),
        SettingKeys.DEFAULT_MERGE_MAX_FLOATS);
  }

  private float[] x() {
    SplittableRandom random = new SplittableRandom(11);
    float[] x = new float[2 * 3 * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  /** Runs the layer as a host would, in a per-call manager, and then the hook. */
  private NDList forward(ForwardApplier applier, NDManager scope, float[] x) {
    NDList inputs = new NDList(scope.create(x, new Shape(2, 3, IN)));
    NDList output = layer.linear().forward(new ParameterStore(scope, false), inputs, false);
    applier.onForward(current.get(), layer.linear(), inputs, output);
    return output;
  }

  /** {@code x (W + sum alpha u^T delta) + b}, in double precision. */
  private float[] expected(float[] x, List<Edit> edits) {
    float[] y = new float[6 * OUT];
    for (int r = 0; r < 6; r++) {
      for (int j = 0; j < OUT; j++) {
        double sum = layer.bias()[j];
        for (int i = 0; i < IN; i++) {
          double w = layer.hf()[i * OUT + j];
          for (Edit e : edits) {
            ParamDelta p = e.params().get(0);
            for (int k = 0; k < p.rows(); k++) {
              w += p.alpha() * p.u()[k * IN + i] * p.delta()[k * OUT + j];
            }
          }
          sum += x[r * IN + i] * w;
        }
        y[r * OUT + j] = (float) sum;
      }
    }
    return y;
  }

  @Test
  void addsAlphaTimesXUTransposedDeltaToTheLayersOutput() {
    Edit edit = TestEdits.edit("p", 3, new Param("w", IN, OUT, layer.fingerprint()));
    registry.add(edit, true, "test");
    ForwardApplier applier = applier();
    float[] x = x();
    try (NDManager scope = manager.newSubManager()) {
      NDList out = forward(applier, scope, x);
      assertThat(out.singletonOrThrow().getManager())
          .as("results live in the call's scope")
          .isSameAs(scope);
      assertThat(out.singletonOrThrow().toFloatArray())
          .containsExactly(expected(x, List.of(edit)), within(1e-4f));
      DeviceFactors d =
          DeviceFactors.madeFor(current.get().active().factorsFor(layer.fingerprint()));
      assertThat(d.isDense()).as("3 rows x (6 + 10) < 6 x 10: factored").isFalse();
    }
    assertThat(applier.counters().deltasApplied()).isEqualTo(1);
    assertThat(applier.counters().suppressedErrors()).isZero();
    assertThat(manager.getManagedArrays()).as("nothing allocated beside the weights").hasSize(3);
  }

  @Test
  void manyStackedRowsApplyAsOneDenseProduct() {
    Edit a = TestEdits.edit("a", 3, new Param("w", IN, OUT, layer.fingerprint()));
    Edit b = TestEdits.edit("b", 4, new Param("w", IN, OUT, layer.fingerprint()));
    registry.add(a, true, "test");
    registry.add(b, true, "test");
    ForwardApplier applier = applier();
    float[] x = x();
    try (NDManager scope = manager.newSubManager()) {
      float[] got = forward(applier, scope, x).singletonOrThrow().toFloatArray();
      assertThat(got).containsExactly(expected(x, List.of(a, b)), within(1e-4f));
      DeviceFactors d =
          DeviceFactors.madeFor(current.get().active().factorsFor(layer.fingerprint()));
      assertThat(d.isDense()).as("6 rows x (6 + 10) > 6 x 10: dense").isTrue();
    }
    assertThat(applier.counters().deltasApplied()).isEqualTo(2);
    assertThat(applier.counters().editedCalls()).isEqualTo(1);
  }

  @Test
  void engineFactorsAreMadeOnceAndReused() {
    Edit edit = TestEdits.edit("p", 3, new Param("w", IN, OUT, layer.fingerprint()));
    registry.add(edit, true, "test");
    ForwardApplier applier = applier();
    try (NDManager scope = manager.newSubManager()) {
      forward(applier, scope, x());
      FusedFactors f = current.get().active().factorsFor(layer.fingerprint());
      Object realised = DeviceFactors.madeFor(f);
      assertThat(realised).isNotNull();
      assertThat(f.transposedU()).as("Java copy released").isNull();
      forward(applier, scope, x());
      assertThat(DeviceFactors.madeFor(f)).isSameAs(realised);
    }
    assertThat(applier.counters().deltasApplied()).isEqualTo(2);
  }

  @Test
  void aFailureInsideTheHookLeavesTheHostsOutputUntouchedAndIsCounted() {
    registry.add(
        TestEdits.edit("p", 3, new Param("w", IN, OUT, layer.fingerprint())), true, "test");
    ForwardApplier applier = applier();
    float[] x = x();
    try (NDManager scope = manager.newSubManager()) {
      NDList inputs = new NDList(scope.create(x, new Shape(2, 3, IN)));
      NDList output = layer.linear().forward(new ParameterStore(scope, false), inputs, false);
      NDArray original = output.singletonOrThrow();
      float[] before = original.toFloatArray();
      // A real failure in the engine: an input row the edit's factors do not fit.
      NDList misfit = new NDList(scope.zeros(new Shape(2, 3, IN + 1)));
      applier.onForward(current.get(), layer.linear(), misfit, output);
      applier.onForward(current.get(), layer.linear(), misfit, output);
      assertThat(output).hasSize(1);
      assertThat(output.singletonOrThrow()).isSameAs(original);
      assertThat(original.toFloatArray()).containsExactly(before);
    }
    assertThat(applier.counters().suppressedErrors()).isEqualTo(2);
    assertThat(applier.counters().deltasApplied()).isZero();
  }

  @Test
  void aDisabledEditLeavesTheOutputBitIdentical() {
    Edit edit = TestEdits.edit("p", 3, new Param("w", IN, OUT, layer.fingerprint()));
    registry.add(edit, false, "test");
    ForwardApplier applier = applier();
    float[] x = x();
    try (NDManager scope = manager.newSubManager()) {
      float[] edited;
      float[] plain = forward(applier, scope, x).singletonOrThrow().toFloatArray();
      assertThat(current.get().hookActive()).as("settled, nothing active: fast path").isFalse();
      registry.setEnabled(edit.id(), true);
      edited = forward(applier, scope, x).singletonOrThrow().toFloatArray();
      registry.setEnabled(edit.id(), false);
      float[] again = forward(applier, scope, x).singletonOrThrow().toFloatArray();
      assertThat(edited).isNotEqualTo(plain);
      assertThat(again).containsExactly(plain);
    }
  }
}
