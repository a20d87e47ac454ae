package org.mend4j.agent.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.testing.FakeBinder;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;

class DirectoryEditStoreTest {

  private static final Param FC = new Param("transformer.h.1.mlp.c_fc.weight", 4, 8, "sha256:fc");

  @TempDir Path dir;

  private static EditRegistry registry() {
    return new EditRegistry(
        new AtomicReference<Snapshot>(), new FakeBinder(Set.of()), () -> true, false);
  }

  private static String log(Runnable r) {
    PrintStream err = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(err);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aRestartRestoresEditsInOrderWithTheirFlagsAndTheVariants() throws Exception {
    DirectoryEditStore store = DirectoryEditStore.of(dir.resolve("edits"));
    Edit a = TestEdits.edit("a", 1, FC);
    Edit b = TestEdits.edit("b", 2, FC);
    Edit c = TestEdits.edit("c", 3, FC);
    // registration order c, a, b (not file-name order)
    PersistedState state =
        new PersistedState(java.util.Map.of(), java.util.Map.of())
            .withEdit(c.id(), true)
            .withEdit(a.id(), false)
            .withEdit(b.id(), true)
            .withVariant(new Variant("canary", List.of(a.id()), 12.5))
            .withVariant(new Variant("original", List.of(), 0));
    for (Edit e : List.of(a, b, c)) {
      store.saveEdit(e.id(), EditFile.bytes(e));
    }
    store.saveState(state);

    EditRegistry restored = registry();
    assertThat(DirectoryEditStore.of(dir.resolve("edits")).load(restored, Set.of())).isEqualTo(3);
    Snapshot s = restored.current();
    assertThat(s.edits()).extracting(EditEntry::id).containsExactly(c.id(), a.id(), b.id());
    assertThat(s.edits()).extracting(EditEntry::enabled).containsExactly(true, false, true);
    assertThat(s.variants()).isEqualTo(state.variants());
    assertThat(PersistedState.of(s)).isEqualTo(state);
    try (var files = Files.list(dir.resolve("edits"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "state.json",
              a.id() + EditFile.SUFFIX,
              b.id() + EditFile.SUFFIX,
              c.id() + EditFile.SUFFIX);
    }
  }

  @Test
  void aCorruptedOrForeignFileIsSkippedByNameAndTheOthersLoad() throws Exception {
    DirectoryEditStore store = DirectoryEditStore.of(dir);
    Edit a = TestEdits.edit("a", 1, FC);
    Edit b = TestEdits.edit("b", 2, FC);
    store.saveEdit(a.id(), EditFile.bytes(a));
    store.saveEdit(b.id(), EditFile.bytes(b));
    store.saveState(
        PersistedState.of(Snapshot.EMPTY).withEdit(a.id(), true).withEdit(b.id(), true));
    byte[] bytes = Files.readAllBytes(dir.resolve(b.id() + EditFile.SUFFIX));
    bytes[bytes.length - 3] ^= 0x55; // flip tensor bits: the digest no longer matches
    Files.write(dir.resolve(b.id() + EditFile.SUFFIX), bytes);
    Files.writeString(dir.resolve("junk" + EditFile.SUFFIX), "not safetensors");
    Files.writeString(dir.resolve(AtomicFiles.TEMP_PREFIX + "x.tmp"), "left by a crash");

    EditRegistry restored = registry();
    String log = log(() -> DirectoryEditStore.of(dir).load(restored, Set.of()));
    assertThat(restored.current().edits()).extracting(EditEntry::id).containsExactly(a.id());
    assertThat(log)
        .contains("skipped edit file " + dir.resolve(b.id() + EditFile.SUFFIX))
        .contains("corrupted edit file")
        .contains("skipped edit file " + dir.resolve("junk" + EditFile.SUFFIX))
        .contains("lists edit " + b.id() + ", but no edit file holds it")
        .contains("loaded 1 of 3 edit files");
    assertThat(Files.exists(dir.resolve(AtomicFiles.TEMP_PREFIX + "x.tmp"))).isFalse();
  }

  @Test
  void anUnreadableStateFileLoadsEveryEditDisabled() throws Exception {
    DirectoryEditStore store = DirectoryEditStore.of(dir);
    Edit a = TestEdits.edit("a", 1, FC);
    store.saveEdit(a.id(), EditFile.bytes(a));
    Files.writeString(
        dir.resolve(DirectoryEditStore.STATE_FILE), "{\"format\": \"mend4j.state/1\", \"ed");
    EditRegistry restored = registry();
    String log = log(() -> DirectoryEditStore.of(dir).load(restored, Set.of()));
    assertThat(log).contains("state file " + dir.resolve("state.json") + " is unreadable");
    assertThat(restored.current().edits()).extracting(EditEntry::enabled).containsExactly(false);
  }

  @Test
  void filesUnknownToTheStateLoadEnabledUnlessConfiguredDisabled() throws Exception {
    Edit a = TestEdits.edit("a", 1, FC);
    Edit b = TestEdits.edit("b", 2, FC);
    EditFile.write(a, dir.resolve("dropped-in" + EditFile.SUFFIX));
    EditFile.write(b, dir.resolve("other" + EditFile.SUFFIX));
    EditRegistry restored = registry();
    DirectoryEditStore store = DirectoryEditStore.of(dir);
    store.load(restored, Set.of(b.id()));
    assertThat(restored.current().edit(a.id()).orElseThrow().enabled()).isTrue();
    assertThat(restored.current().edit(b.id()).orElseThrow().enabled()).isFalse();
    store.deleteEdit(a.id());
    assertThat(Files.exists(dir.resolve("dropped-in" + EditFile.SUFFIX)))
        .as("the file it was loaded from is the one deleted")
        .isFalse();
  }

  @Test
  void aMissingDirectoryLoadsNothingAndIsCreatedOnTheFirstWrite() throws Exception {
    DirectoryEditStore store = DirectoryEditStore.of(dir.resolve("later"));
    assertThat(store.load(registry(), Set.of())).isZero();
    store.saveState(PersistedState.of(Snapshot.EMPTY));
    assertThat(Files.readString(dir.resolve("later/state.json"))).contains("mend4j.state/1");
    assertThat(DirectoryEditStore.of(null).persistent()).isFalse();
  }

  @Test
  void safeIdsNameFilesAndUrlSegmentsOnly() {
    assertThat(DirectoryEditStore.isSafeId("e0123abc")).isTrue();
    assertThat(DirectoryEditStore.isSafeId("my-edit_1.v2")).isTrue();
    assertThat(DirectoryEditStore.isSafeId("../x")).isFalse();
    assertThat(DirectoryEditStore.isSafeId(".hidden")).isFalse();
    assertThat(DirectoryEditStore.isSafeId("a/b")).isFalse();
    assertThat(DirectoryEditStore.isSafeId("")).isFalse();
    assertThat(DirectoryEditStore.isSafeId("x".repeat(129))).isFalse();
  }
}
