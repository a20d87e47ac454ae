package org.mend4j.agent.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.binding.NameMapping;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.RequestScope;
import org.mend4j.agent.hook.VariantHeaderPolicy;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.MergeSlot;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.agent.testing.TestLayers;
import org.mend4j.agent.testing.TestLayers.Layer;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * The merged fast path: a {@code Linear} with selected edits computed once with {@code W + dW^T}
 * (the advice's entry, {@link ForwardApplier#onEnter}), the layer's own code skipped. Calls are
 * made as the {@code Linear} advice makes them: entry first; if it returns null, the layer's own
 * forward and then the exit hook.
 */
class MergedFastPathTest {

  private static final int IN = 6;
  private static final int OUT = 10;
  private static final long WEIGHT = (long) IN * OUT;

  private NDManager manager;
  private Layer layer;
  private final LayerCatalog catalog = new LayerCatalog();
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private EditRegistry registry;
  private HostBinder binder;
  private Param param;

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
    registry.settle(); // the host is ready: edits bind as they are added
    param = new Param("w", IN, OUT, layer.fingerprint());
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private ForwardApplier applier(long mergeMaxFloats) {
    return new ForwardApplier(
        registry,
        catalog,
        binder,
        new HookCounters(),
        new VariantRouter(VariantHeaderPolicy.ANY),
        mergeMaxFloats);
  }

  private ForwardApplier merging() {
    return applier(WEIGHT);
  }

  private static float[] x(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[2 * 3 * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  /** One layer call outside a host request, as the Linear advice makes it. */
  private NDList call(ForwardApplier applier, NDManager scope, float[] x) {
    return call(applier, scope, x, null);
  }

  /** One layer call inside {@code request} (null: outside any), as the Linear advice makes it. */
  private NDList call(ForwardApplier applier, NDManager scope, float[] x, RequestScope request) {
    return call(applier, x, request, new ParameterStore(scope, false));
  }

  /** One layer call with the host's parameter store {@code store}. */
  private NDList call(
      ForwardApplier applier, float[] x, RequestScope request, ParameterStore store) {
    NDList inputs = new NDList(store.getManager().create(x, new Shape(2, 3, IN)));
    Snapshot s = current.get();
    NDList merged =
        request != null
            ? applier.onEnter(request, layer.linear(), store, inputs, false)
            : s.hookActive() ? applier.onEnter(s, layer.linear(), store, inputs, false) : null;
    if (merged != null) {
      return merged;
    }
    NDList output = layer.linear().forward(store, inputs, false);
    if (request != null) {
      applier.onForward(request, layer.linear(), inputs, output);
    } else if (s.hookActive() || !s.hostReady()) {
      applier.onForward(s, layer.linear(), inputs, output);
    }
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

  private MergeSlot slot() {
    return current.get().active().mergeSlotFor(layer.fingerprint());
  }

  @Test
  void anEditedLayerIsComputedOnceWithTheMergedWeight() {
    Edit edit = TestEdits.edit("p", 3, param);
    registry.add(edit, true, "test");
    ForwardApplier applier = merging();
    float[] weightBefore = layer.linear().getParameters().get("weight").getArray().toFloatArray();
    int hostArrays = manager.getManagedArrays().size();
    float[] x = x(11);
    try (NDManager scope = manager.newSubManager()) {
      call(applier, scope, x);
      NDList out = call(applier, scope, x);
      assertThat(out).hasSize(1);
      assertThat(out.singletonOrThrow().getManager())
          .as("results live in the call's scope")
          .isSameAs(scope);
      assertThat(out.singletonOrThrow().toFloatArray())
          .containsExactly(expected(x, List.of(edit)), within(1e-4f));
    }
    assertThat(applier.counters().mergedCalls()).isEqualTo(2);
    assertThat(applier.counters().editedCalls()).isEqualTo(2);
    assertThat(applier.counters().deltasApplied()).isEqualTo(2);
    assertThat(applier.counters().mergedWeights()).isEqualTo(1);
    assertThat(applier.counters().mergedFloats()).isEqualTo(WEIGHT);
    assertThat(MergedWeight.in(slot())).as("kept in the selection's slot").isNotNull();
    assertThat(manager.getManagedArrays())
        .as("nothing left in the host's manager")
        .hasSize(hostArrays);
    assertThat(layer.linear().getParameters().get("weight").getArray().toFloatArray())
        .as("the host's weight is never written")
        .containsExactly(weightBefore);
  }

  @Test
  void mergedAndFactoredPathsAgree() {
    Edit a = TestEdits.edit("a", 3, param);
    Edit b = TestEdits.edit("b", 4, param);
    registry.add(a, true, "test");
    registry.add(b, true, "test");
    float[] x = x(12);
    try (NDManager scope = manager.newSubManager()) {
      ForwardApplier factored = applier(0);
      float[] f = call(factored, scope, x).singletonOrThrow().toFloatArray();
      float[] m = call(merging(), scope, x).singletonOrThrow().toFloatArray();
      assertThat(factored.counters().mergedCalls()).isZero();
      assertThat(m).containsExactly(f, within(1e-4f));
      assertThat(m).containsExactly(expected(x, List.of(a, b)), within(1e-4f));
    }
  }

  @Test
  void withoutAnEditTheLayerRunsItsOwnCodeBitIdentically() {
    Edit edit = TestEdits.edit("p", 3, param);
    registry.add(edit, false, "test");
    ForwardApplier applier = merging();
    float[] x = x(13);
    try (NDManager scope = manager.newSubManager()) {
      float[] plain =
          layer
              .linear()
              .forward(new ParameterStore(scope, false), inputs(scope, x), false)
              .singletonOrThrow()
              .toFloatArray();
      assertThat(call(applier, scope, x).singletonOrThrow().toFloatArray()).containsExactly(plain);
      registry.setEnabled(edit.id(), true);
      assertThat(call(applier, scope, x).singletonOrThrow().toFloatArray())
          .containsExactly(expected(x, List.of(edit)), within(1e-4f));
      registry.setEnabled(edit.id(), false);
      Snapshot s = current.get();
      assertThat(s.hookActive()).isFalse();
      NDList inputs = inputs(scope, x);
      assertThat(
              applier.onEnter(s, layer.linear(), new ParameterStore(scope, false), inputs, false))
          .as("no edit: the layer computes")
          .isNull();
      assertThat(call(applier, scope, x).singletonOrThrow().toFloatArray()).containsExactly(plain);
      registry.setEnabled(edit.id(), true);
      NDList training =
          applier.onEnter(
              current.get(), layer.linear(), new ParameterStore(scope, false), inputs, true);
      assertThat(training).as("never while training").isNull();
    }
    assertThat(applier.counters().mergedCalls()).isEqualTo(1);
  }

  private static NDList inputs(NDManager scope, float[] x) {
    return new NDList(scope.create(x, new Shape(2, 3, IN)));
  }

  @Test
  void theRuleTakesOnlyWeightsUpToTheThreshold() {
    Edit edit = TestEdits.edit("p", 3, param);
    registry.add(edit, true, "test");
    float[] x = x(14);
    try (NDManager scope = manager.newSubManager()) {
      ForwardApplier below = applier(WEIGHT - 1);
      ForwardApplier off = applier(0);
      for (ForwardApplier a : List.of(below, off)) {
        call(a, scope, x);
        assertThat(call(a, scope, x).singletonOrThrow().toFloatArray())
            .containsExactly(expected(x, List.of(edit)), within(1e-4f));
        assertThat(a.counters().editedCalls()).isEqualTo(2);
        assertThat(a.counters().mergedCalls()).isZero();
        assertThat(a.counters().mergedWeights()).isZero();
      }
      assertThat(MergedWeight.in(slot())).as("no dense copy made").isNull();
      ForwardApplier at = merging();
      call(at, scope, x);
      assertThat(at.counters().mergedCalls()).isEqualTo(1);
      assertThat(at.counters().mergedFloats()).isEqualTo(WEIGHT);
    }
  }

  @Test
  void aChangeOfTheLayersEditsMakesANewMergedWeightAndAnUnrelatedOneReusesIt() {
    Edit a = TestEdits.edit("a", 3, param);
    Edit b = TestEdits.edit("b", 4, param);
    Edit other = TestEdits.edit("o", 5, new Param("v", 4, 4, "sha256:elsewhere"));
    registry.add(a, true, "test");
    ForwardApplier applier = merging();
    float[] x = x(15);
    try (NDManager scope = manager.newSubManager()) {
      call(applier, scope, x);
      MergedWeight first = MergedWeight.in(slot());
      assertThat(first).isNotNull();

      registry.add(other, true, "test"); // refused (no such layer): the layer's edits are the same
      assertThat(call(applier, scope, x).singletonOrThrow().toFloatArray())
          .containsExactly(expected(x, List.of(a)), within(1e-4f));
      assertThat(MergedWeight.in(slot())).as("same edits on the layer: reused").isSameAs(first);

      registry.add(b, true, "test");
      assertThat(call(applier, scope, x).singletonOrThrow().toFloatArray())
          .containsExactly(expected(x, List.of(a, b)), within(1e-4f));
      MergedWeight both = MergedWeight.in(slot());
      assertThat(both).isNotNull().isNotSameAs(first);

      registry.setEnabled(a.id(), false);
      assertThat(call(applier, scope, x).singletonOrThrow().toFloatArray())
          .containsExactly(expected(x, List.of(b)), within(1e-4f));
      assertThat(MergedWeight.in(slot())).isNotSameAs(both).isNotSameAs(first);

      registry.putVariant(new Variant("only-a", List.of(a.id()), 0));
      RequestScope request = new RequestScope("only-a", null);
      assertThat(call(applier, scope, x, request).singletonOrThrow().toFloatArray())
          .as("a variant gets its own edits")
          .containsExactly(expected(x, List.of(a)), within(1e-4f));
      assertThat(request.selection().mergeSlotFor(layer.fingerprint()))
          .isNotSameAs(current.get().active().mergeSlotFor(layer.fingerprint()));
    }
    assertThat(applier.counters().mergedCalls()).isEqualTo(5);
  }

  @Test
  void aRequestKeepsItsPinnedSelectionWhileEditsAreToggled() {
    Edit edit = TestEdits.edit("p", 3, param);
    registry.add(edit, true, "test");
    ForwardApplier applier = merging();
    float[] x = x(16);
    float[] edited = expected(x, List.of(edit));
    float[] plain = expected(x, List.of());
    try (NDManager scope = manager.newSubManager()) {
      RequestScope request = new RequestScope(null, null);
      assertThat(call(applier, scope, x, request).singletonOrThrow().toFloatArray())
          .containsExactly(edited, within(1e-4f));
      registry.setEnabled(edit.id(), false);
      assertThat(call(applier, scope, x, request).singletonOrThrow().toFloatArray())
          .as("the request's selection is pinned")
          .containsExactly(edited, within(1e-4f));
      RequestScope next = new RequestScope(null, null);
      assertThat(call(applier, scope, x, next).singletonOrThrow().toFloatArray())
          .containsExactly(plain, within(1e-4f));
    }
  }

  @Test
  void mergedWeightsNoSelectionUsesAreFreed() throws InterruptedException {
    List<Edit> edits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      edits.add(TestEdits.edit("e" + i, 20 + i, param));
      registry.add(edits.get(i), false, "test");
    }
    ForwardApplier applier = merging();
    float[] x = x(17);
    try (NDManager scope = manager.newSubManager()) {
      for (Edit e : edits) { // six selections in turn, each with its own merged weight
        registry.setEnabled(e.id(), true);
        assertThat(call(applier, scope, x).singletonOrThrow().toFloatArray())
            .containsExactly(expected(x, List.of(e)), within(1e-4f));
        registry.setEnabled(e.id(), false);
      }
    }
    assertThat(applier.counters().mergedCalls()).isEqualTo(6);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (applier.counters().mergedWeights() > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(applier.counters().mergedWeights())
        .as("no selection in use applies an edit: every merged weight freed")
        .isZero();
    assertThat(applier.counters().mergedFloats()).isZero();
  }

  /**
   * A parameter store whose first read fails, as an engine or device failure would: the fast path
   * reads the layer's weight through it first, then the layer itself reads it again.
   */
  private static ParameterStore failingOnce(NDManager scope) {
    AtomicBoolean failed = new AtomicBoolean();
    return new ParameterStore(scope, false) {
      @Override
      public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (failed.compareAndSet(false, true)) {
          throw new IllegalStateException("the first read fails");
        }
        return super.getValue(parameter, device, training);
      }
    };
  }

  @Test
  void aFailingFastPathFallsBackToTheFactoredPathAndIsCounted() {
    Edit edit = TestEdits.edit("p", 3, param);
    registry.add(edit, true, "test");
    ForwardApplier applier = merging();
    float[] x = x(18);
    try (NDManager scope = manager.newSubManager()) {
      call(applier, x, null, failingOnce(scope));
      for (int i = 0; i < 3; i++) {
        NDList out = call(applier, scope, x);
        assertThat(out).hasSize(1);
        assertThat(out.singletonOrThrow().toFloatArray())
            .as("the edit still applies, factored")
            .containsExactly(expected(x, List.of(edit)), within(1e-4f));
      }
    }
    assertThat(applier.counters().suppressedErrors())
        .as("counted once: the layer then keeps to the factored path")
        .isEqualTo(1);
    assertThat(catalog.get(layer.linear()).mergeFailed()).isTrue();
    assertThat(applier.counters().mergedCalls()).isZero();
    assertThat(applier.counters().editedCalls()).isEqualTo(4);
  }

  @Test
  void failuresOnBothPathsLeaveTheLayersOwnOutput() {
    registry.add(TestEdits.edit("p", 3, param), true, "test");
    ForwardApplier applier = merging();
    float[] x = x(19);
    try (NDManager scope = manager.newSubManager()) {
      NDList inputs = new NDList(scope.create(x, new Shape(2, 3, IN)));
      // Real failures: an input the edit's factors do not fit (exit), a failing store (entry).
      NDList misfit = new NDList(scope.zeros(new Shape(2, 3, IN + 1)));
      NDList first = layer.linear().forward(new ParameterStore(scope, false), inputs, false);
      applier.onForward(current.get(), layer.linear(), misfit, first);
      assertThat(applier.onEnter(current.get(), layer.linear(), failingOnce(scope), inputs, false))
          .as("the fast path failed: the layer computes")
          .isNull();
      NDList output = layer.linear().forward(new ParameterStore(scope, false), inputs, false);
      applier.onForward(current.get(), layer.linear(), misfit, output);
      assertThat(output.singletonOrThrow().toFloatArray())
          .containsExactly(expected(x, List.of()), within(1e-4f));
    }
    assertThat(applier.counters().deltasApplied()).isZero();
    assertThat(applier.counters().suppressedErrors()).isEqualTo(3); // entry once, exit twice
  }

  @Test
  void concurrentRequestsOnDifferentVariantsWhileEditsToggle() throws Exception {
    Edit a = TestEdits.edit("a", 3, param);
    Edit b = TestEdits.edit("b", 4, param);
    registry.add(a, true, "test");
    registry.add(b, false, "test");
    registry.putVariant(new Variant("only-b", List.of(b.id()), 0));
    registry.putVariant(new Variant("both", List.of(a.id(), b.id()), 0));
    ForwardApplier applier = merging();
    float[] x = x(20);
    Map<String, float[]> byVariant =
        Map.of(
            "only-b", expected(x, List.of(b)),
            "both", expected(x, List.of(a, b)));
    float[] onlyA = expected(x, List.of(a));
    float[] none = expected(x, List.of());
    AtomicBoolean stop = new AtomicBoolean();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      work.add(
          pool.submit(
              () -> {
                boolean on = true;
                while (!stop.get()) {
                  on = !on;
                  registry.setEnabled(a.id(), on);
                  Thread.onSpinWait();
                }
              }));
      for (String variant : List.of("only-b", "both", "default")) {
        work.add(
            pool.submit(
                () -> {
                  for (int request = 0; request < 60; request++) {
                    RequestScope scope = new RequestScope(variant, null);
                    float[] first = null;
                    for (int call = 0; call < 4; call++) {
                      try (NDManager s = manager.newSubManager()) {
                        float[] got = call(applier, s, x, scope).singletonOrThrow().toFloatArray();
                        float[] want = byVariant.get(variant);
                        if (want == null) { // default: a on or off, but one for the request
                          want = first != null ? first : close(got, onlyA) ? onlyA : none;
                          first = want;
                        }
                        if (!close(got, want)) {
                          problems.add(variant + " request " + request + " call " + call);
                        }
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : work.subList(1, work.size())) {
        f.get(2, TimeUnit.MINUTES);
      }
      stop.set(true);
      work.get(0).get(1, TimeUnit.MINUTES);
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertThat(problems).isEmpty();
    assertThat(applier.counters().suppressedErrors()).isZero();
    assertThat(applier.counters().mergedCalls()).isPositive();
  }

  private static boolean close(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-4f) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theMergedWeightIsOwnedByTheAgentNotTheHost() {
    registry.add(TestEdits.edit("p", 3, param), true, "test");
    ForwardApplier applier = merging();
    try (NDManager scope = manager.newSubManager()) {
      call(applier, scope, x(21));
      call(applier, scope, x(21));
    }
    NDArray merged = MergedWeight.in(slot()).weight();
    assertThat(merged.getShape()).isEqualTo(new Shape(OUT, IN));
    assertThat(merged.getManager()).isNotSameAs(manager);
    assertThat(manager.getManagedArrays()).doesNotContain(merged);
    assertThat(merged.hasGradient()).isFalse();
  }
}
