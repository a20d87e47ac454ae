package org.mend4j.agent.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.binding.NameMapping;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.agent.testing.TestLayers;
import org.mend4j.agent.testing.TestLayers.Layer;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.Fingerprint;

class HostBinderTest {

  private static final String FC = "transformer.h.0.mlp.c_fc.weight";
  private static final String PROJ = "transformer.h.0.mlp.c_proj.weight";

  private NDManager manager;
  private final LayerCatalog catalog = new LayerCatalog();
  private final BlockTree tree = new BlockTree();
  private Layer fc;
  private Layer proj;
  private Layer twin;
  private Layer odd;
  // the tree holds blocks weakly, as the host's objects: the test keeps its "host" reachable
  private Object model;
  private Object mlp;

  @BeforeEach
  void host() {
    manager = NDManager.newBaseManager();
    model = new Object();
    mlp = new Object();
    fc = TestLayers.linear(manager, 4, 8, 1);
    proj = TestLayers.linear(manager, 8, 4, 2);
    twin = TestLayers.linear(manager, 4, 8, 3);
    odd = TestLayers.linear(manager, 6, 6, 4);
    tree.record(model, "h0", mlp);
    tree.record(mlp, "c_fc", fc.linear());
    tree.record(mlp, "c_proj", proj.linear());
    tree.record(mlp, "other_fc", twin.linear());
    tree.record(mlp, "odd", odd.linear());
    for (Layer l : List.of(fc, proj, twin, odd)) {
      catalog.track(l.linear());
    }
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private HostBinder binder(NameMapping mapping) {
    return new HostBinder(
        catalog, tree, Map.of(LayerSpec.LINEAR.className(), LayerSpec.LINEAR), mapping);
  }

  @Test
  void theFingerprintOfALinearsTransposedWeightIsTheCheckpointsFingerprint() {
    String host =
        HostWeights.fingerprint(
            fc.linear().getParameters().get("weight").getArray(), LayerSpec.Layout.OUT_IN);
    assertThat(host).isEqualTo(Fingerprint.of(fc.hfWeight())).startsWith("sha256:");
    assertThat(host).isNotEqualTo(Fingerprint.of(twin.hfWeight()));
  }

  @Test
  void aWeightHeldContiguousAsOutInIsHashedBlockByBlockAndLeavesNothingInItsManager() {
    int in = 300;
    int out = 512; // 2 KiB rows: three blocks of rows, the last one short
    float[] hf = new float[in * out];
    float[] outIn = new float[in * out];
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        hf[i * out + o] = i - 0.001f * o;
        outIn[o * in + i] = hf[i * out + o];
      }
    }
    NDArray weight = manager.create(outIn, new Shape(out, in));
    ByteBuffer bytes = ByteBuffer.allocate(4 * hf.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(hf);
    int held = manager.getManagedArrays().size();
    assertThat(HostWeights.fingerprint(weight, LayerSpec.Layout.OUT_IN))
        .isEqualTo(Fingerprint.of(new long[] {in, out}, bytes));
    assertThat(manager.getManagedArrays()).hasSize(held);
  }

  @Test
  void bindsEachParameterToTheLayerWithItsFingerprintAndNeverHashesOtherShapes() {
    Edit edit =
        TestEdits.edit(
            "p",
            1,
            new Param(FC, 4, 8, fc.fingerprint()),
            new Param(PROJ, 8, 4, proj.fingerprint()));
    Binding b = binder(NameMapping.NONE).bind(List.of(edit), true).get(edit.id());
    assertThat(b.state()).isEqualTo(Binding.State.BOUND);
    assertThat(b.targets())
        .extracting(Binding.Target::param, Binding.Target::hostFingerprint, Binding.Target::layers)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(FC, fc.fingerprint(), List.of("h0.c_fc")),
            org.assertj.core.groups.Tuple.tuple(PROJ, proj.fingerprint(), List.of("h0.c_proj")));
    assertThat(catalog.get(odd.linear()).shape())
        .isEqualTo(new org.mend4j.agent.registry.Snapshot.Shape(6, 6));
    assertThat(catalog.get(odd.linear()).fingerprint()).as("no edit has its shape").isNull();
    assertThat(catalog.get(twin.linear()).fingerprint()).isEqualTo(twin.fingerprint());
  }

  @Test
  void anEditThatWouldSwampItsWeightIsRefusedEvenWhileOthersWaitForLayers() {
    Param param = new Param(FC, 4, 8, fc.fingerprint());
    Edit fine =
        Edit.create(
            Instant.EPOCH,
            "test-editor",
            TestEdits.requests("p"),
            List.of(TestEdits.delta(param, 3, 1e-3f, 1)));
    Edit swamping =
        Edit.create(
            Instant.EPOCH,
            "test-editor",
            TestEdits.requests("q"),
            List.of(TestEdits.delta(param, 3, 1e4f, 1)));
    Map<String, Binding> bindings = binder(NameMapping.NONE).bind(List.of(fine, swamping), false);
    assertThat(bindings.get(fine.id()).state()).isEqualTo(Binding.State.BOUND);
    Binding refused = bindings.get(swamping.id());
    assertThat(refused.state()).isEqualTo(Binding.State.REFUSED);
    assertThat(refused.message())
        .contains("parameter '" + FC + "' would change its weight by")
        .contains("alpha 10000.0")
        .contains("not applied");
  }

  @Test
  void anEditForAnotherModelIsRefusedNamingTheParameter() {
    String foreign = Fingerprint.of(TestLayers.linear(manager, 4, 8, 99).hfWeight());
    Edit edit =
        TestEdits.edit(
            "p", 1, new Param(PROJ, 8, 4, proj.fingerprint()), new Param(FC, 4, 8, foreign));
    Binding refused = binder(NameMapping.NONE).bind(List.of(edit), true).get(edit.id());
    assertThat(refused.state()).isEqualTo(Binding.State.REFUSED);
    assertThat(refused.message())
        .contains("parameter '" + FC + "'")
        .contains("2 layers have that shape but other weights")
        .contains("computed for another model");
    assertThat(refused.targets()).isEmpty();

    Binding pending = binder(NameMapping.NONE).bind(List.of(edit), false).get(edit.id());
    assertThat(pending.state()).isEqualTo(Binding.State.PENDING);
  }

  @Test
  void aNameMappingOverridesTheFingerprintButNotTheShape() {
    String foreign = Fingerprint.of(TestLayers.linear(manager, 4, 8, 99).hfWeight());
    Edit edit = TestEdits.edit("p", 1, new Param(FC, 4, 8, foreign));
    NameMapping mapping = NameMapping.of(Map.of("transformer.h.*.mlp.c_fc.weight", "h*.other_fc"));
    Binding b = binder(mapping).bind(List.of(edit), true).get(edit.id());
    assertThat(b.state()).isEqualTo(Binding.State.BOUND);
    assertThat(b.targets().get(0).byName()).isTrue();
    assertThat(b.targets().get(0).hostFingerprint()).isEqualTo(twin.fingerprint());
    assertThat(b.targets().get(0).layers()).containsExactly("h0.other_fc");

    NameMapping wrongShape = NameMapping.of(Map.of(FC, "h0.c_proj"));
    assertThat(binder(wrongShape).bind(List.of(edit), true).get(edit.id()).message())
        .contains("mapped to host layer 'h0.c_proj' of shape [8, 4]");
    NameMapping nowhere = NameMapping.of(Map.of(FC, "h9.c_fc"));
    assertThat(binder(nowhere).bind(List.of(edit), true).get(edit.id()).message())
        .contains("no host layer has that path")
        .contains("h0.c_fc");
  }

  @Test
  void aConfiguredLayerClassKeepingHfLayoutBindsWithoutTransposing() {
    // A block that stores the HF [in, out] array itself, read with layout in_out.
    ai.djl.nn.core.Linear conv1d = ai.djl.nn.core.Linear.builder().setUnits(8).build();
    conv1d.getParameters().get("weight").setArray(fc.hfWeight());
    LayerCatalog own = new LayerCatalog();
    own.track(conv1d);
    LayerSpec spec = new LayerSpec(LayerSpec.LINEAR.className(), "weight", LayerSpec.Layout.IN_OUT);
    HostBinder binder = new HostBinder(own, tree, Map.of(spec.className(), spec), NameMapping.NONE);
    Edit edit = TestEdits.edit("p", 1, new Param(FC, 4, 8, fc.fingerprint()));
    assertThat(binder.bind(List.of(edit), true).get(edit.id()).state())
        .isEqualTo(Binding.State.BOUND);
    assertThat(own.get(conv1d).shape())
        .isEqualTo(new org.mend4j.agent.registry.Snapshot.Shape(4, 8));
  }

  /** A host's own subclass of Linear. */
  static final class HostLinear extends ai.djl.nn.core.Linear {
    HostLinear(ai.djl.nn.core.Linear.Builder builder) {
      super(builder);
    }
  }

  @Test
  void subclassesOfAConfiguredClassBindAndOtherObjectsAreIgnored() {
    HostLinear sub = new HostLinear(ai.djl.nn.core.Linear.builder().setUnits(8));
    sub.getParameters().get("weight").setArray(fc.hfWeight().transpose());
    Object stranger = new Object();
    LayerCatalog own = new LayerCatalog();
    own.track(sub);
    own.track(stranger);
    HostBinder binder =
        new HostBinder(
            own, tree, Map.of(LayerSpec.LINEAR.className(), LayerSpec.LINEAR), NameMapping.NONE);
    Edit edit = TestEdits.edit("p", 1, new Param(FC, 4, 8, fc.fingerprint()));
    assertThat(binder.bind(List.of(edit), true).get(edit.id()).isBound()).isTrue();
    assertThat(own.get(stranger).prepared()).as("looked at once, then left alone").isTrue();
    assertThat(own.get(stranger).shape()).isNull();
  }
}
