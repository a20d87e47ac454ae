package org.mend4j.agent.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.mend4j.runtime.edit.Edit;

/**
 * How the registry's edits are bound over the host's life: {@link Binding.State#PENDING} until the
 * host's first forward pass, then against the host's layers, an edit with an unmatched parameter
 * refused or left pending as {@code refuseUnmatched} says. It keeps the last {@link #preview}, so
 * that the edit previewed binds once when it is registered, unless a rebinding came in between.
 *
 * <p>Not thread-safe: the registry calls it under its lock.
 */
final class EditBindings {

  /**
   * The binding {@link #preview} found last, and what it depended on: how many re-bindings had
   * happened by then, whether the host was ready and whether unmatched edits were refused.
   */
  private record Preview(
      String editId, long rebinds, boolean hostReady, boolean refusing, Binding binding) {}

  private final EditBinder binder;
  private final BooleanSupplier refuseUnmatched;
  private boolean hostReady;
  private Preview lastPreview;
  private long rebinds;

  EditBindings(EditBinder binder, BooleanSupplier refuseUnmatched) {
    this.binder = binder;
    this.refuseUnmatched = refuseUnmatched;
  }

  /** Whether the host has run its first forward pass, so edits bind against its layers. */
  boolean hostReady() {
    return hostReady;
  }

  /**
   * Records the host's first forward pass.
   *
   * @return false if it was recorded before
   */
  boolean markHostReady() {
    boolean first = !hostReady;
    hostReady = true;
    return first;
  }

  /** How {@code edit} would bind now; remembered for its {@link #newEntry}. */
  Binding preview(Edit edit) {
    boolean refusing = refuseUnmatched.getAsBoolean();
    Binding b = bind(edit, refusing);
    lastPreview = new Preview(edit.id(), rebinds, hostReady, refusing, b);
    return b;
  }

  /**
   * A new entry for {@code edit}, with its preview's binding if nothing it depended on changed
   * since (no rebinding, the host's readiness and the refusal of unmatched edits as they were: an
   * attached agent that has since met all the host's layers refuses what it left pending), else a
   * new one; its binding is logged.
   */
  EditEntry newEntry(Edit edit, boolean enabled, String source) {
    EditEntry entry = new EditEntry(edit, enabled, bindNew(edit), source);
    BindingLog.report(null, entry);
    return entry;
  }

  /**
   * {@code entries} with every pending or refused edit bound again (a host layer appeared), each
   * change logged; bound entries are kept as they are.
   */
  List<EditEntry> rebound(List<EditEntry> entries) {
    rebinds++;
    List<Edit> unbound =
        entries.stream().filter(e -> !e.binding().isBound()).map(EditEntry::edit).toList();
    Map<String, Binding> bindings =
        unbound.isEmpty() ? Map.of() : binder.bind(unbound, refuseUnmatched.getAsBoolean());
    List<EditEntry> next = new ArrayList<>();
    for (EditEntry e : entries) {
      Binding b = bindings.get(e.id());
      EditEntry entry = b == null ? e : e.withBinding(b);
      if (b != null) {
        BindingLog.report(e, entry);
      }
      next.add(entry);
    }
    return next;
  }

  private Binding bindNew(Edit edit) {
    Preview p = lastPreview;
    boolean refusing = refuseUnmatched.getAsBoolean();
    lastPreview = null;
    if (p != null
        && p.editId().equals(edit.id())
        && p.rebinds() == rebinds
        && p.hostReady() == hostReady
        && p.refusing() == refusing) {
      return p.binding();
    }
    return bind(edit, refusing);
  }

  private Binding bind(Edit edit, boolean refusing) {
    return hostReady
        ? binder.bind(List.of(edit), refusing).get(edit.id())
        : Binding.pending("waiting for the host's first forward pass");
  }
}
