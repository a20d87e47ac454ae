package org.mend4j.agent.hook;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.binding.NameMapping;
import org.mend4j.agent.bootstrap.SettingKeys;
import org.mend4j.agent.djl.DjlHost;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.agent.testing.TestLayers;
import org.mend4j.agent.testing.TestLayers.Layer;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.gpt2.FactorProducts;
import org.mend4j.runtime.gpt2.FactoredDelta;

/**
 * The hook path as the advice drives it, through {@link LayerHooks} and a {@link DjlCopy} whose
 * classes a {@link DjlCopyLoader} defined anew: the copy is made once per DJL, its layers bind and
 * take edits (through the runtime's arithmetic, defined anew beside it too), and status counts
 * them; a copy in a plugin's own class loader goes away with it.
 */
class DjlCopiesTest {

  private static final int IN = 6;
  private static final int OUT = 10;

  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final DjlCopies copies = new DjlCopies();
  private final EditRegistry registry = new EditRegistry(current, copies, () -> true, false);
  private final LayerHooks hooks = new LayerHooks(current, copies, true, false);
  private NDManager manager;
  private Layer layer;

  @BeforeEach
  void setUp() {
    copies.start(
        new CopySettings(
            registry,
            new HookCounters(),
            new VariantRouter(VariantHeaderPolicy.ANY),
            Map.of(LayerSpec.LINEAR.className(), LayerSpec.LINEAR),
            NameMapping.NONE,
            SettingKeys.DEFAULT_MERGE_MAX_FLOATS,
            true));
    manager = NDManager.newBaseManager();
    layer = TestLayers.linear(manager, IN, OUT, 7);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private float[] forward(float[] x) {
    try (NDManager scope = manager.newSubManager()) {
      NDList inputs = new NDList(scope.create(x, new Shape(1, IN)));
      NDList output = layer.linear().forward(new ParameterStore(scope, false), inputs, false);
      hooks.onForwardExit(layer.linear(), inputs, output);
      return output.singletonOrThrow().toFloatArray();
    }
  }

  @Test
  void beforeDjlIsMetEditsWait() {
    assertThat(copies.live()).isEmpty();
    registry.settle();
    Edit edit = TestEdits.edit("q", 1, new Param("w", IN, OUT, layer.fingerprint()));
    assertThat(registry.preview(edit).isPending()).isTrue();
  }

  @Test
  void oneCopyPerDjlDefinedBesideItAppliesEditsAndIsCounted() throws Exception {
    hooks.onLayerConstructed(layer.linear());
    hooks.onLayerConstructed(TestLayers.linear(manager, IN, OUT, 8).linear());
    assertThat(copies.live()).hasSize(1);
    DjlCopy copy = copies.live().get(0);
    assertThat(copy.getClass().getName()).isEqualTo(DjlHost.class.getName());
    assertThat(copy.getClass().getClassLoader())
        .as("the djl package is defined anew, beside this DJL")
        .isInstanceOf(DjlCopyLoader.class)
        .isNotSameAs(DjlHost.class.getClassLoader());
    ClassLoader copyLoader = copy.getClass().getClassLoader();
    assertThat(Class.forName(FactorProducts.class.getName(), false, copyLoader).getClassLoader())
        .as("the shared arithmetic too, so that it works on this copy's arrays")
        .isSameAs(copyLoader);
    assertThat(Class.forName(FactoredDelta.class.getName(), false, copyLoader))
        .as("the rest of the runtime is the agent's own")
        .isSameAs(FactoredDelta.class);
    assertThat(copies.sole()).isTrue();

    float[] x = {0.5f, -1f, 2f, 0.25f, 1f, -0.5f};
    float[] base = forward(x); // the first call settles the registry: the host is ready
    Edit edit = TestEdits.edit("p", 3, new Param("w", IN, OUT, layer.fingerprint()));
    String id = registry.add(edit, true, "test").id();
    assertThat(registry.current().edit(id).orElseThrow().binding().isBound()).isTrue();
    float[] edited = forward(x);
    assertThat(edited).isNotEqualTo(base);
    assertThat(copies.status(registry.current()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.layers()).isEqualTo(2);
              assertThat(s.editedLayers()).isEqualTo(1);
              assertThat(s.classLoader()).isNotBlank();
            });

    registry.setEnabled(id, false);
    assertThat(forward(x)).as("disabled: the layer's own output, bit for bit").isEqualTo(base);
  }

  @Test
  void aCopyGoesAwayWithTheApplicationThatLoadedItsDjl() throws Exception {
    WeakReference<ClassLoader> app = buildLayerInOwnLoader();
    assertThat(copies.live()).as("the plugin's DJL met").hasSize(1);
    long deadline = System.nanoTime() + 20_000_000_000L;
    while ((app.get() != null || !copies.live().isEmpty()) && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(app.get()).as("the application's class loader, collected").isNull();
    assertThat(copies.live()).as("and the agent's copy with it").isEmpty();
  }

  /**
   * A plugin's class loader with its own DJL (parent: the platform loader) builds a layer, which
   * the hook meets; only a weak reference to the loader is returned.
   */
  private WeakReference<ClassLoader> buildLayerInOwnLoader() throws Exception {
    List<URL> jars = new ArrayList<>();
    for (Class<?> c : List.of(Block.class, com.google.gson.Gson.class, org.slf4j.Logger.class)) {
      jars.add(c.getProtectionDomain().getCodeSource().getLocation());
    }
    try (URLClassLoader plugin =
        new URLClassLoader(
            "plugin", jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Object builder = plugin.loadClass("ai.djl.nn.core.Linear").getMethod("builder").invoke(null);
      builder.getClass().getMethod("setUnits", long.class).invoke(builder, 2L);
      Object layer = builder.getClass().getMethod("build").invoke(builder);
      assertThat(layer.getClass().getClassLoader()).isSameAs(plugin);
      hooks.onLayerConstructed(layer);
      assertThat(copies.live().get(0).name()).startsWith("plugin@");
      return new WeakReference<>(plugin);
    }
  }
}
