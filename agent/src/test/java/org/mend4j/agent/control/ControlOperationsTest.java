package org.mend4j.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.hook.CopyStatus;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.VariantHeaderPolicy;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.testing.FakeBinder;
import org.mend4j.agent.testing.TestEdits;
import org.mend4j.agent.testing.TestEdits.Param;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditRequest;

/**
 * The control plane's operations on a registry bound by a fake host, with an edit computer the test
 * owns: what they return, and the reason each refusal names, with nothing changed.
 */
class ControlOperationsTest {

  private static final Param FC = new Param("transformer.h.1.mlp.c_fc.weight", 4, 8, "sha256:fc");
  private static final Param FOREIGN =
      new Param("transformer.h.1.mlp.c_fc.weight", 4, 8, "sha256:another-model");

  private final EditRegistry registry =
      new EditRegistry(
          new AtomicReference<Snapshot>(), new FakeBinder(Set.of("sha256:fc")), () -> true, false);
  private final Computer computer = new Computer();
  private final Control control =
      new Control(
          registry,
          EditStore.of(null),
          computer,
          new HookCounters(),
          new VariantRouter(VariantHeaderPolicy.ANY),
          snapshot -> List.of(new CopyStatus("test-loader", 7, 0)));

  /** Computes the edit it is given, on top of whatever base, and records the bases. */
  private static final class Computer implements EditComputer {
    Edit next;
    RuntimeException fits;
    final List<List<String>> bases = new ArrayList<>();

    @Override
    public boolean hasModel() {
      return true;
    }

    @Override
    public Edit compute(List<EditRequest> requests, List<Edit> base) {
      bases.add(base.stream().map(Edit::id).toList());
      return next;
    }

    @Override
    public List<String> complete(String prompt, int maxNewTokens, List<List<Edit>> editSets) {
      return editSets.stream().map(set -> prompt + " +" + set.size()).toList();
    }

    @Override
    public void checkFits(List<Edit> edits) {
      if (fits != null) {
        throw fits;
      }
    }
  }

  @Test
  void aCreatedEditIsComputedOnTheEnabledEditsAndRegisteredEnabled() {
    registry.settle();
    Edit first = TestEdits.edit("a", 1, FC);
    control.importFile(EditFile.bytes(first));
    Edit off = TestEdits.edit("b", 2, FC);
    control.importFile(EditFile.bytes(off));
    control.setEnabled(off.id(), false);

    computer.next = TestEdits.edit("c", 3, FC);
    EditView created = control.create(TestEdits.requests("c"));

    assertThat(computer.bases).containsExactly(List.of(first.id()));
    assertThat(created.id()).isEqualTo(computer.next.id());
    assertThat(created.enabled()).isTrue();
    assertThat(created.active()).isTrue();
    assertThat(created.binding().state()).isEqualTo(Binding.State.BOUND);
    assertThat(created.source()).isEqualTo("admin API");
    assertThat(control.status().activeEdits()).isEqualTo(2);
    assertThat(control.status().editsIn(Binding.State.BOUND)).isEqualTo(3);
  }

  @Test
  void anEditForOtherWeightsIsForeignAndNotRegistered() {
    registry.settle();
    computer.next = TestEdits.edit("f", 9, FOREIGN);
    assertThatThrownBy(() -> control.create(TestEdits.requests("f")))
        .isInstanceOf(ControlException.ForeignModel.class)
        .hasMessageContaining("refused");
    assertThat(control.edits()).isEmpty();
  }

  @Test
  void aPendingImportIsCheckedAgainstTheModel() {
    // before the host's first forward pass an edit only binds as pending: the model checks it
    computer.fits = new ControlException.ForeignModel("edit x was computed for another model");
    assertThatThrownBy(() -> control.importFile(EditFile.bytes(TestEdits.edit("p", 4, FC))))
        .isInstanceOf(ControlException.ForeignModel.class);
    assertThat(control.edits()).isEmpty();
  }

  @Test
  void eachRefusalNamesItsReason() {
    registry.settle();
    Edit edit = TestEdits.edit("a", 1, FC);
    control.importFile(EditFile.bytes(edit));
    assertThatThrownBy(() -> control.importFile(EditFile.bytes(edit)))
        .isInstanceOf(ControlException.Conflict.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> control.setEnabled("nope", true))
        .isInstanceOf(ControlException.NotFound.class)
        .hasMessageContaining("no edit with id 'nope'");
    assertThatThrownBy(() -> control.importFile(new byte[0]))
        .isInstanceOf(ControlException.InvalidRequest.class);
    assertThatThrownBy(() -> control.importFile("not an edit".getBytes()))
        .isInstanceOf(ControlException.InvalidRequest.class)
        .hasMessageContaining("not a valid edit file");
    assertThatThrownBy(() -> control.putVariant(new Variant("v", List.of("nope"), 1)))
        .isInstanceOf(ControlException.InvalidRequest.class)
        .hasMessageContaining("lists edit 'nope', which does not exist");
    control.putVariant(new Variant("v", List.of(edit.id()), 60));
    assertThatThrownBy(() -> control.putVariant(new Variant("w", List.of(), 40.01)))
        .isInstanceOf(ControlException.InvalidRequest.class)
        .hasMessageContaining("add up to 100.01");
    assertThatThrownBy(() -> control.deleteVariant("w"))
        .isInstanceOf(ControlException.NotFound.class);
    assertThat(control.variants()).containsExactly(new Variant("v", List.of(edit.id()), 60));
    assertThat(control.edits()).extracting(EditView::id).containsExactly(edit.id());
  }

  @Test
  void tryItAnswersEveryVariantWithItsEdits() {
    registry.settle();
    Edit edit = TestEdits.edit("a", 1, FC);
    control.importFile(EditFile.bytes(edit));
    control.putVariant(new Variant("original", List.of(), 10));
    TryAnswers answers = control.tryIt("Q", 4);
    assertThat(answers.answers())
        .containsExactly(
            new TryAnswers.Answer("default", List.of(edit.id()), null, "Q +1"),
            new TryAnswers.Answer("original", List.of(), 10.0, "Q +0"));
  }
}
