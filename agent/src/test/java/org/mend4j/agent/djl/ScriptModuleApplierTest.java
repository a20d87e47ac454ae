package org.mend4j.agent.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.binding.NameMapping;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.ModulePass;
import org.mend4j.agent.hook.VariantHeaderPolicy;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.Fingerprint;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * The in-place path on the shipped TorchScript world model, driven as the advice drives it (enter,
 * the module's own forward, exit): an edit bound by fingerprint changes the module's parameter to
 * {@code W0 + dW}, its logits follow, and disabling it restores every weight bit for bit; a module
 * loaded the default way (inference tensors) is left unedited, with the reason counted and shown.
 */
class ScriptModuleApplierTest {

  private static final String WEIGHT = "transformer.h.2.mlp.c_fc.weight";
  private static final long[] IDS = {12, 404, 7, 1030};

  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final LayerCatalog catalog = new LayerCatalog();
  private final HookCounters counters = new HookCounters();
  private final HostBinder binder =
      new HostBinder(
          catalog,
          new BlockTree(),
          Map.of(LayerSpec.LINEAR.className(), LayerSpec.LINEAR),
          NameMapping.NONE);
  private final EditRegistry registry = new EditRegistry(current, binder, () -> true, false);
  private Model model;

  @AfterEach
  void close() {
    if (model != null) {
      model.close();
    }
  }

  private Block load(boolean changeable) throws Exception {
    Path dir = repoRoot().resolve("models/world-gpt2-torchscript");
    model = Model.newInstance("world-gpt2-torchscript", "PyTorch");
    model.load(dir, null, changeable ? Map.of("trainParam", "true") : Map.of());
    return model.getBlock();
  }

  private ScriptModuleApplier applier() {
    return new ScriptModuleApplier(
        registry, catalog, binder, counters, new VariantRouter(VariantHeaderPolicy.ANY));
  }

  /** One pass as the advice makes it, outside any host request; returns the last logits row. */
  private float[] pass(ScriptModuleApplier applier, Block module) {
    ModulePass admitted = applier.enter(null, module, false);
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDList inputs =
          new NDList(
              scope.create(IDS, new Shape(1, IDS.length)),
              scope.create(new long[] {0, 1, 2, 3}, new Shape(1, IDS.length)),
              scope.create(new long[] {0, 1, 1, 1, 1}, new Shape(1, IDS.length + 1)));
      for (int i = 0; i < 8; i++) {
        NDArray past = scope.zeros(new Shape(1, 4, 1, 48));
        past.setName("past_key_values(4,2)");
        inputs.add(past);
      }
      NDArray logits = module.forward(new ParameterStore(scope, false), inputs, false).get(0);
      return logits.get(0, IDS.length - 1).toFloatArray();
    } finally {
      if (admitted != null) {
        admitted.end();
      }
    }
  }

  private static Edit smallEdit(NDArray weight) {
    Param param = new Param(WEIGHT, 192, 768, Fingerprint.of(weight));
    ParamDelta delta = TestEdits.delta(param, 3, 0.002f, 11);
    return Edit.create(
        Instant.parse("2025-01-01T00:00:00Z"),
        "test-editor",
        TestEdits.requests("p"),
        List.of(delta));
  }

  @Test
  void anEditChangesTheWeightInPlaceAndDisablingItRestoresEveryBit() throws Exception {
    Block module = load(true);
    NDArray weight = module.getDirectParameters().get(WEIGHT).getArray();
    float[] original = weight.toFloatArray();
    ScriptModuleApplier applier = applier();
    float[] before = pass(applier, module); // first pass: the module's weights are learnt

    Edit edit = smallEdit(weight);
    String id = registry.add(edit, true, "test").id();
    assertThat(registry.current().edit(id).orElseThrow().binding().isBound()).isTrue();
    float[] edited = pass(applier, module);
    float[] changed = weight.toFloatArray();
    ParamDelta d = edit.params().get(0);
    for (int i = 0; i < 192; i += 37) {
      for (int o = 0; o < 768; o += 101) {
        double dw = 0;
        for (int r = 0; r < d.rows(); r++) {
          dw += (double) d.u()[r * 192 + i] * d.alpha() * d.delta()[r * 768 + o];
        }
        assertThat((double) changed[i * 768 + o])
            .isCloseTo(original[i * 768 + o] + dw, within(1e-5));
      }
    }
    assertThat(Arrays.equals(edited, before)).isFalse();
    assertThat(counters.moduleSwitches()).isEqualTo(1);
    assertThat(counters.baseCopyFloats()).isEqualTo(192 * 768);

    registry.setEnabled(id, false);
    assertThat(Arrays.equals(pass(applier, module), before)).isTrue();
    assertThat(Arrays.equals(weight.toFloatArray(), original)).isTrue();
    assertThat(counters.suppressedErrors()).isZero();
  }

  @Test
  void aModuleOfInferenceTensorsIsLeftUneditedWithTheReasonShown() throws Exception {
    Block module = load(false);
    NDArray weight = module.getDirectParameters().get(WEIGHT).getArray();
    float[] original = weight.toFloatArray();
    ScriptModuleApplier applier = applier();
    float[] before = pass(applier, module);
    registry.add(smallEdit(weight), true, "test");

    assertThat(Arrays.equals(pass(applier, module), before)).isTrue();
    assertThat(Arrays.equals(pass(applier, module), before)).isTrue();
    assertThat(Arrays.equals(weight.toFloatArray(), original)).isTrue();
    assertThat(counters.moduleFailure()).contains("inference tensors").contains("-javaagent");
    assertThat(counters.suppressedErrors()).isEqualTo(1);
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(dir.resolve("models"))) {
      dir = dir.getParent();
    }
    return dir;
  }
}
