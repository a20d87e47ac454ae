package org.mend4j.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.testing.FakeBinder;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.runtime.edit.Edit;

class EditRegistryTest {

  private static final Param FC = new Param("transformer.h.1.mlp.c_fc.weight", 4, 8, "sha256:fc");
  private static final Param PROJ =
      new Param("transformer.h.1.mlp.c_proj.weight", 8, 4, "sha256:proj");
  private static final Param FOREIGN =
      new Param("transformer.h.1.mlp.c_fc.weight", 4, 8, "sha256:other-model");

  private final AtomicReference<Snapshot> current = new AtomicReference<>();

  @Test
  void editsWaitForTheHostsFirstForwardPassThenBind() {
    FakeBinder binder = new FakeBinder(Set.of("sha256:fc", "sha256:proj"));
    EditRegistry registry = new EditRegistry(current, binder, () -> true, false);
    assertThat(current.get().hookActive()).as("nothing registered: fast path").isFalse();

    Edit edit = TestEdits.edit("a", 1, FC, PROJ);
    registry.add(edit, true, "a.mend.safetensors");
    Snapshot before = registry.current();
    assertThat(before.edit(edit.id()).orElseThrow().binding().state())
        .isEqualTo(Binding.State.PENDING);
    assertThat(before.active().isEmpty()).isTrue();
    assertThat(before.hookActive()).as("the first forward pass must settle").isTrue();
    assertThat(binder.calls).isEmpty();

    Snapshot settled = registry.settle();
    assertThat(settled.pendingWork()).isFalse();
    assertThat(settled.edit(edit.id()).orElseThrow().binding().isBound()).isTrue();
    assertThat(settled.active().factorsFor("sha256:fc").edits()).isEqualTo(1);
    assertThat(settled.active().factorsFor("sha256:proj")).isNotNull();
    assertThat(settled.hookActive()).isTrue();
    assertThat(settled.version()).isGreaterThan(before.version());

    Edit later = TestEdits.edit("b", 2, FC);
    registry.add(later, true, "api");
    assertThat(binder.calls).as("once ready, an added edit binds at once").hasSize(2);
    assertThat(registry.current().active().factorsFor("sha256:fc").edits()).isEqualTo(2);
  }

  @Test
  void anEditForAnotherModelIsRefusedAndNeverActive() {
    EditRegistry registry =
        new EditRegistry(
            current, new FakeBinder(Set.of("sha256:fc", "sha256:proj")), () -> true, false);
    registry.settle();
    Edit foreign = TestEdits.edit("f", 3, FOREIGN);
    EditEntry entry = registry.add(foreign, true, "foreign.mend.safetensors");
    assertThat(entry.binding().state()).isEqualTo(Binding.State.REFUSED);
    assertThat(entry.binding().message()).contains("transformer.h.1.mlp.c_fc.weight");
    assertThat(registry.current().active().isEmpty()).isTrue();
    assertThat(registry.current().hookActive()).as("a refused edit costs nothing").isFalse();
  }

  @Test
  void whenAttachedUnmatchedEditsStayPendingAndBindWhenTheLayerAppears() {
    FakeBinder binder = new FakeBinder(new java.util.HashSet<>(Set.of("sha256:fc")));
    EditRegistry registry = new EditRegistry(current, binder, () -> false, true);
    registry.settle();
    Edit edit = TestEdits.edit("a", 1, FC, PROJ);
    registry.add(edit, true, "api");
    assertThat(registry.current().edit(edit.id()).orElseThrow().binding().state())
        .isEqualTo(Binding.State.PENDING);
    assertThat(registry.current().active().isEmpty()).as("never half an edit").isTrue();
    binder.host.add("sha256:proj");
    registry.rebindUnbound();
    assertThat(registry.current().edit(edit.id()).orElseThrow().binding().isBound()).isTrue();
    assertThat(registry.current().active().isEmpty()).isFalse();
  }

  @Test
  void togglingSwapsSnapshotsAndReusesUnchangedStackedFactors() {
    EditRegistry registry =
        new EditRegistry(
            current, new FakeBinder(Set.of("sha256:fc", "sha256:proj")), () -> true, false);
    registry.settle();
    Edit a = TestEdits.edit("a", 1, FC);
    Edit b = TestEdits.edit("b", 2, PROJ);
    registry.add(a, true, "a");
    registry.add(b, true, "b");
    FusedFactors fc = registry.current().active().factorsFor("sha256:fc");

    assertThat(registry.setEnabled(b.id(), false)).isTrue();
    Snapshot off = registry.current();
    assertThat(off.active().editIds()).containsExactly(a.id());
    assertThat(off.active().factorsFor("sha256:proj")).isNull();
    assertThat(off.active().factorsFor("sha256:fc"))
        .as("the c_fc contributions did not change")
        .isSameAs(fc);

    registry.setEnabled(a.id(), false);
    assertThat(registry.current().hookActive()).isFalse();
    assertThat(registry.remove(a.id())).isTrue();
    assertThat(registry.remove(a.id())).isFalse();
    assertThat(registry.setEnabled("nope", true)).isFalse();
    assertThat(registry.current().edits()).extracting(EditEntry::id).containsExactly(b.id());
  }

  @Test
  void duplicateIdsAreRefused() {
    EditRegistry registry = new EditRegistry(current, new FakeBinder(Set.of()), () -> true, false);
    Edit a = TestEdits.edit("a", 1, FC);
    registry.add(a, true, "first");
    assertThatThrownBy(() -> registry.add(a, true, "second"))
        .hasMessageContaining(a.id())
        .hasMessageContaining("second");
  }

  @Test
  void theFirstForwardPassWaitsForTheStartupLoad() throws Exception {
    EditRegistry registry =
        new EditRegistry(
            current, new FakeBinder(Set.of("sha256:fc", "sha256:proj")), () -> true, false);
    registry.beginStartupLoad();
    assertThat(registry.current().pendingWork()).isTrue();
    Edit edit = TestEdits.edit("a", 1, FC);
    Thread loader =
        new Thread(
            () -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                return;
              }
              registry.add(edit, true, "file");
              registry.finishStartupLoad();
            });
    loader.start();
    Snapshot settled = registry.settle();
    loader.join();
    assertThat(settled.active().editIds()).containsExactly(edit.id());
  }

  @Test
  void aVariantAppliesItsListedBoundEditsWhetherOrNotTheyAreEnabled() {
    EditRegistry registry =
        new EditRegistry(
            current, new FakeBinder(Set.of("sha256:fc", "sha256:proj")), () -> true, false);
    registry.settle();
    Edit a = TestEdits.edit("a", 1, FC);
    Edit b = TestEdits.edit("b", 2, PROJ);
    Edit foreign = TestEdits.edit("f", 3, FOREIGN);
    registry.add(a, true, "a");
    registry.add(b, false, "b");
    registry.add(foreign, true, "f");
    registry.putVariant(new Variant("canary", List.of(b.id(), foreign.id()), 10));
    registry.putVariant(new Variant("original", List.of(), 0));

    Snapshot s = registry.current();
    assertThat(s.selection(null).editIds()).containsExactly(a.id());
    assertThat(s.selection(Variant.DEFAULT)).isSameAs(s.active());
    assertThat(s.selection("canary").editIds())
        .as("refused edits never apply")
        .containsExactly(b.id());
    assertThat(s.selection("original").isEmpty()).isTrue();
    assertThat(s.selection("nope")).isNull();
    assertThat(s.variants().keySet()).containsExactly("canary", "original");

    registry.setEnabled(a.id(), false);
    assertThat(registry.current().hookActive()).as("the canary still edits").isTrue();
    assertThat(registry.remove(b.id())).isTrue();
    assertThat(registry.current().variants().get("canary").editIds())
        .as("a deleted edit leaves every variant")
        .containsExactly(foreign.id());
    assertThat(registry.current().hookActive()).isFalse();
    assertThat(registry.removeVariant("canary")).isTrue();
    assertThat(registry.removeVariant("canary")).isFalse();
  }

  @Test
  void variantsAreValidated() {
    EditRegistry registry =
        new EditRegistry(current, new FakeBinder(Set.of("sha256:fc")), () -> true, false);
    Edit a = TestEdits.edit("a", 1, FC);
    registry.add(a, true, "a");
    assertThatThrownBy(() -> registry.putVariant(new Variant("v", List.of("nope"), 1)))
        .hasMessageContaining("'nope', which does not exist");
    registry.putVariant(new Variant("v", List.of(a.id()), 60));
    assertThatThrownBy(() -> registry.putVariant(new Variant("w", List.of(), 40.01)))
        .hasMessageContaining("add up to 100.01");
    registry.putVariant(new Variant("v", List.of(a.id()), 59.99));
    registry.putVariant(new Variant("w", List.of(), 40.01));
    assertThatThrownBy(() -> new Variant("default", List.of(), 0)).hasMessageContaining("default");
    assertThatThrownBy(() -> new Variant("a/b", List.of(), 0)).hasMessageContaining("letters");
    assertThatThrownBy(() -> new Variant("v", List.of(), 101)).hasMessageContaining("0..100");
    assertThatThrownBy(() -> new Variant("v", List.of("x", "x"), 1)).hasMessageContaining("twice");
  }

  @Test
  void togglingBackReusesTheStackedFactorsAndTheirEngineCopy() {
    EditRegistry registry =
        new EditRegistry(current, new FakeBinder(Set.of("sha256:fc")), () -> true, false);
    registry.settle();
    Edit a = TestEdits.edit("a", 1, FC);
    registry.add(a, true, "a");
    FusedFactors on = registry.current().active().factorsFor("sha256:fc");
    registry.setEnabled(a.id(), false);
    assertThat(registry.current().active().factorsFor("sha256:fc")).isNull();
    registry.setEnabled(a.id(), true);
    assertThat(registry.current().active().factorsFor("sha256:fc")).isSameAs(on);
    registry.putVariant(new Variant("same", List.of(a.id()), 0));
    assertThat(registry.current().selection("same").factorsFor("sha256:fc"))
        .as("a variant with the default's edits shares its factors")
        .isSameAs(on);
  }

  @Test
  void previewBindsWithoutRegistering() {
    EditRegistry registry =
        new EditRegistry(current, new FakeBinder(Set.of("sha256:fc")), () -> true, false);
    Edit foreign = TestEdits.edit("f", 3, FOREIGN);
    assertThat(registry.preview(foreign).state()).isEqualTo(Binding.State.PENDING);
    registry.settle();
    assertThat(registry.preview(foreign).state()).isEqualTo(Binding.State.REFUSED);
    assertThat(registry.current().edits()).isEmpty();
  }

  @Test
  void anAttachedRegistryKeepsUnmatchedEditsPendingUntilTheLayersAreAllKnown() {
    boolean[] allKnown = {false};
    FakeBinder binder = new FakeBinder(new java.util.HashSet<>(Set.of("sha256:fc")));
    EditRegistry registry = new EditRegistry(current, binder, () -> allKnown[0], true);
    registry.settle();
    Edit edit = TestEdits.edit("a", 1, FC, PROJ);
    registry.add(edit, true, "api");
    assertThat(registry.current().discoverUnbound())
        .as("the hook must look at every layer while an edit waits")
        .isTrue();
    allKnown[0] = true;
    assertThat(registry.preview(TestEdits.edit("f", 3, FOREIGN)).state())
        .isEqualTo(Binding.State.REFUSED);
    binder.host.add("sha256:proj");
    registry.rebindUnbound();
    assertThat(registry.current().discoverUnbound()).isFalse();
    assertThat(registry.current().active().editIds()).containsExactly(edit.id());
  }

  @Test
  void replaceAllSwapsToAStoredStateInOnePublishKeepingKnownBindings() {
    FakeBinder binder = new FakeBinder(Set.of("sha256:fc", "sha256:proj"));
    EditRegistry registry = new EditRegistry(current, binder, () -> true, false);
    registry.settle();
    Edit a = TestEdits.edit("a", 1, FC);
    Edit b = TestEdits.edit("b", 2, FC);
    Edit c = TestEdits.edit("c", 3, PROJ);
    Edit foreign = TestEdits.edit("f", 4, FOREIGN);
    registry.add(a, true, "api");
    registry.add(b, true, "api");
    registry.putVariant(new Variant("canary", List.of(a.id(), b.id()), 10));
    int calls = binder.calls.size();
    long version = registry.current().version();

    registry.replaceAll(
        List.of(
            new EditRegistry.Stored(c, true, "store"),
            new EditRegistry.Stored(a, false, "store"),
            new EditRegistry.Stored(foreign, true, "store")),
        java.util.Map.of("canary", new Variant("canary", List.of(a.id(), b.id()), 10)));

    Snapshot s = registry.current();
    assertThat(s.version()).as("one swap").isEqualTo(version + 1);
    assertThat(s.edits()).extracting(EditEntry::id).containsExactly(c.id(), a.id(), foreign.id());
    assertThat(s.edit(a.id()).orElseThrow().enabled()).isFalse();
    assertThat(s.edit(a.id()).orElseThrow().source())
        .as("a known edit keeps its source")
        .isEqualTo("api");
    assertThat(binder.calls.subList(calls, binder.calls.size()))
        .as("only the new edits are bound")
        .containsExactly(List.of(c.id()), List.of(foreign.id()));
    assertThat(s.edit(foreign.id()).orElseThrow().binding().state())
        .isEqualTo(Binding.State.REFUSED);
    assertThat(s.active().editIds()).containsExactly(c.id());
    assertThat(s.variants().get("canary").editIds())
        .as("a variant keeps only registered edits")
        .containsExactly(a.id());
  }

  @Test
  void aPreviewedEditIsBoundOnceWhenRegistered() {
    FakeBinder binder = new FakeBinder(Set.of("sha256:fc"));
    EditRegistry registry = new EditRegistry(current, binder, () -> true, false);
    registry.settle();
    Edit edit = TestEdits.edit("a", 1, FC);
    assertThat(registry.preview(edit).isBound()).isTrue();
    registry.replaceAll(List.of(new EditRegistry.Stored(edit, true, "api")), Map.of());
    assertThat(binder.calls).as("the preview's binding is the one registered").hasSize(1);
    assertThat(registry.current().edit(edit.id()).orElseThrow().binding().isBound()).isTrue();
    Edit other = TestEdits.edit("b", 2, FC);
    registry.add(other, true, "api");
    assertThat(binder.calls).as("an edit never previewed binds when added").hasSize(2);
  }

  @Test
  void aRebindingBetweenPreviewAndRegistrationBindsTheEditAgain() {
    FakeBinder binder = new FakeBinder(new java.util.HashSet<>(Set.of("sha256:fc")));
    EditRegistry registry = new EditRegistry(current, binder, () -> false, true);
    registry.settle();
    Edit edit = TestEdits.edit("a", 1, FC, PROJ);
    assertThat(registry.preview(edit).isPending()).isTrue();
    binder.host.add("sha256:proj");
    registry.rebindUnbound();
    registry.add(edit, true, "api");
    assertThat(registry.current().edit(edit.id()).orElseThrow().binding().isBound())
        .as("a layer appeared after the preview: the edit binds to it")
        .isTrue();
    assertThat(binder.calls).hasSize(2);
  }

  @Test
  void anAttachedAgentThatMetAllLayersSincePreviewRefusesWhatThePreviewLeftPending() {
    boolean[] allKnown = {false};
    FakeBinder binder = new FakeBinder(Set.of("sha256:fc"));
    EditRegistry registry = new EditRegistry(current, binder, () -> allKnown[0], true);
    registry.settle();
    Edit foreign = TestEdits.edit("f", 3, FOREIGN);
    assertThat(registry.preview(foreign).isPending()).isTrue();
    allKnown[0] = true;
    registry.add(foreign, true, "api");
    assertThat(registry.current().edit(foreign.id()).orElseThrow().binding().state())
        .as("every layer is known now: an unmatched edit is refused, not left pending")
        .isEqualTo(Binding.State.REFUSED);
  }
}
