package org.mend4j.tests.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.binding.NameMapping;
import org.mend4j.agent.djl.BlockTree;
import org.mend4j.agent.djl.ForwardApplier;
import org.mend4j.agent.djl.HostBinder;
import org.mend4j.agent.djl.LayerCatalog;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.VariantHeaderPolicy;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.edit.Fingerprint;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * The forward hook's cost per layer call, in one JVM, without HTTP: a DJL {@code Linear} of a given
 * shape runs a decode step ({@code x [1, 1, in]}) in a per-call manager, as demo-app does, then the
 * agent's hook with 0 (the fast path), 1, 10 or 100 active edits of {@code rows} rows, added
 * factored ({@code merge.max.floats=0}); then with 1, 10 or 100 edits on the merged fast path (the
 * hook's entry computes the layer with the merged weight and the layer's own code is skipped, as
 * the {@code Linear} advice does). Configurations alternate block by block, so load on a shared
 * machine hits all alike; medians of many blocks are reported. Not a test: run it by hand (class
 * path as for {@link AgentThroughputBench}; one PyTorch thread keeps a shared machine's noise
 * down):
 *
 * <pre>
 * java -cp tests/target/test-classes:$(cat tests/target/bench.cp) -Dai.djl.offline=true \
 *     -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *     org.mend4j.tests.bench.HookOverheadBench [--rows 10] [--blocks 30] [--calls 200]
 * </pre>
 */
public final class HookOverheadBench {

  private static final int[] EDITS = {0, 1, 10, 100};
  private static final int[] MERGED = {1, 10, 100};

  private HookOverheadBench() {}

  /**
   * Runs the benchmark for the world model's and GPT-2 small's MLP shapes.
   *
   * @param args see the class comment
   */
  public static void main(String[] args) {
    int rows = 10;
    int blocks = 30;
    int calls = 200;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(args[++i]);
        case "--blocks" -> blocks = Integer.parseInt(args[++i]);
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    System.out.printf(
        "per decode-step call of one Linear, microseconds (median of %d blocks of %d calls);"
            + " edits of %d rows%n",
        blocks, calls, rows);
    System.out.printf(
        "%-14s %10s %10s %10s %10s %10s | %10s %10s %10s%n",
        "", "", "factored:", "", "", "", "merged:", "", "");
    System.out.printf(
        "%-14s %10s %10s %10s %10s %10s | %10s %10s %10s%n",
        "[in, out]",
        "no agent",
        "0 edits",
        "1 edit",
        "10 edits",
        "100 edits",
        "1 edit",
        "10 edits",
        "100 edits");
    for (int[] shape : new int[][] {{192, 768}, {768, 192}, {768, 3072}, {3072, 768}}) {
      run(shape[0], shape[1], rows, blocks, calls);
    }
  }

  private static void run(int in, int out, int rows, int blocks, int calls) {
    try (NDManager manager = NDManager.newBaseManager()) {
      SplittableRandom random = new SplittableRandom(in * 31L + out);
      float[] hf = gaussian(random, in * out, 0.02);
      NDArray weight = manager.create(hf, new Shape(in, out));
      Linear linear = Linear.builder().setUnits(out).build();
      linear.getParameters().get("weight").setArray(weight.transpose());
      linear.getParameters().get("bias").setArray(manager.zeros(new Shape(out)));
      String fingerprint = Fingerprint.of(weight);
      List<ForwardApplier> appliers = new ArrayList<>();
      List<AtomicReference<Snapshot>> snapshots = new ArrayList<>();
      List<int[]> setups = new ArrayList<>(); // {edits, merged?}
      for (int edits : EDITS) {
        setups.add(new int[] {edits, 0});
      }
      for (int edits : MERGED) {
        setups.add(new int[] {edits, 1});
      }
      for (int[] setup : setups) {
        int edits = setup[0];
        LayerCatalog catalog = new LayerCatalog();
        catalog.track(linear);
        HostBinder binder =
            new HostBinder(
                catalog,
                new BlockTree(),
                Map.of(LayerSpec.LINEAR.className(), LayerSpec.LINEAR),
                NameMapping.NONE);
        AtomicReference<Snapshot> current = new AtomicReference<>();
        EditRegistry registry = new EditRegistry(current, binder, () -> true, false);
        registry.settle();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
          for (int e = 0; e < edits; e++) {
            registry.add(edit(random, in, out, rows, fingerprint, e), true, "bench");
          }
        } finally {
          System.setErr(err);
        }
        appliers.add(
            new ForwardApplier(
                registry,
                catalog,
                binder,
                new HookCounters(),
                new VariantRouter(VariantHeaderPolicy.ANY),
                setup[1] == 1 ? Long.MAX_VALUE : 0));
        snapshots.add(current);
      }
      float[] x = gaussian(random, in, 1);
      int configs = setups.size() + 1;
      List<List<Double>> micros = new ArrayList<>();
      for (int c = 0; c < configs; c++) {
        micros.add(new ArrayList<>());
      }
      for (int b = -3; b < blocks; b++) {
        for (int c = 0; c < configs; c++) {
          long start = System.nanoTime();
          for (int i = 0; i < calls; i++) {
            try (NDManager step = manager.newSubManager()) {
              NDList inputs = new NDList(step.create(x, new Shape(1, 1, in)));
              ParameterStore store = new ParameterStore(step, false);
              NDList output = null;
              Snapshot s = c > 0 ? snapshots.get(c - 1).get() : null;
              if (s != null && s.hookActive()) { // as the Linear advice's entry
                output = appliers.get(c - 1).onEnter(s, linear, store, inputs, false);
              }
              if (output == null) {
                output = linear.forward(store, inputs, false);
                if (s != null && s.hookActive()) { // as the advice's exit
                  appliers.get(c - 1).onForward(s, linear, inputs, output);
                }
              }
              output.get(0).getFloat(0, 0, 0);
            }
          }
          if (b >= 0) {
            micros.get(c).add((System.nanoTime() - start) / 1e3 / calls);
          }
        }
      }
      StringBuilder line = new StringBuilder(String.format("%-14s", "[" + in + ", " + out + "]"));
      for (int c = 0; c < configs; c++) {
        line.append(c == EDITS.length + 1 ? " |" : "")
            .append(String.format(" %10.1f", Medians.of(micros.get(c))));
      }
      System.out.println(line);
      for (int a = 0; a < appliers.size(); a++) {
        HookCounters counters = appliers.get(a).counters();
        if (counters.suppressedErrors() > 0) {
          throw new IllegalStateException("the hook failed during the benchmark");
        }
        boolean merged = setups.get(a)[1] == 1;
        if (setups.get(a)[0] > 0 && merged != (counters.mergedCalls() == counters.editedCalls())) {
          throw new IllegalStateException("configuration " + a + " did not take its path");
        }
      }
    }
  }

  private static Edit edit(
      SplittableRandom random, int in, int out, int rows, String fingerprint, int seed) {
    ParamDelta p =
        new ParamDelta(
            "transformer.h.0.mlp.c_fc.weight",
            new long[] {in, out},
            fingerprint,
            rows,
            gaussian(random, rows * in, 1),
            gaussian(random, rows * out, 1),
            1e-4f);
    return Edit.create(
        Instant.EPOCH, "bench", List.of(new EditRequest("bench " + seed, "x", null)), List.of(p));
  }

  private static float[] gaussian(SplittableRandom random, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }
}
