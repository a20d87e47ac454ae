package org.mend4j.agent.control;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.mend4j.agent.hook.CopyStatus;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.internal.PrometheusText;
import org.mend4j.agent.persist.EditBytes;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.persist.StateChange;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditRequest;

/**
 * The control plane's operations, whatever calls them (admin HTTP API, JMX, status file): reads
 * return views ({@link EditView}, {@link Variant}, {@link StatusView}, {@link TryAnswers}), and a
 * refusal is a {@link ControlException} naming its reason, which each protocol maps to its own
 * answer ({@link ControlJson} renders the views).
 *
 * <p>Every change goes to the {@link EditStore} as a {@link StateChange} ({@link Commits}): the
 * store validates it against its latest state, writes it, and only then applies it to the registry,
 * so a refused or failed change leaves both as they were (an {@code edits} directory, or a
 * PostgreSQL database shared by a fleet of replicas, where the latest state may hold other
 * replicas' changes). Computing an edit (seconds) happens before that, one at a time, so toggles
 * and reads go on meanwhile.
 */
public final class Control {

  private final EditRegistry registry;
  private final EditStore store;
  private final EditComputer editor;
  private final HookCounters counters;
  private final VariantRouter router;
  private final Function<Snapshot, List<CopyStatus>> copies;
  private final EditLatency latency = new EditLatency();
  private final Commits commits;

  /**
   * Creates the control plane with the given edit computer.
   *
   * @param registry the edits and variants
   * @param store where changes are persisted
   * @param editor computes edits and answers prompts
   * @param counters the forward hook's counters
   * @param router the variant router (requests per variant)
   * @param copies each copy of DJL in the JVM, with its layers as of a snapshot
   */
  public Control(
      EditRegistry registry,
      EditStore store,
      EditComputer editor,
      HookCounters counters,
      VariantRouter router,
      Function<Snapshot, List<CopyStatus>> copies) {
    this.registry = registry;
    this.store = store;
    this.editor = editor;
    this.counters = counters;
    this.router = router;
    this.copies = copies;
    this.commits = new Commits(registry, store);
  }

  // ---- reads

  /** The agent's state: edits, variants, layers, counters, store. */
  public StatusView status() {
    Snapshot s = registry.current();
    return new StatusView(
        s.version(),
        s.hostReady(),
        s.startupPending(),
        copies.apply(s),
        StatusView.Counters.of(counters),
        EditView.all(s),
        List.copyOf(s.variants().values()),
        router.requestsByVariant(),
        router.unknownVariantRequests(),
        router.ignoredVariantHeaders(),
        store.persistent(),
        store.status(),
        StatusView.MklDispatch.now());
  }

  /** The edits, in registration order. */
  public List<EditView> edits() {
    return EditView.all(registry.current());
  }

  /**
   * One edit.
   *
   * @throws ControlException.NotFound if there is none with that id
   */
  public EditView edit(String id) {
    Snapshot s = registry.current();
    return EditView.of(entry(s, id), s);
  }

  /** The variants, by name. */
  public List<Variant> variants() {
    return List.copyOf(registry.current().variants().values());
  }

  /** The metrics in the Prometheus text format. */
  public String metrics() {
    return MetricsText.render(registry.current(), counters, router, latency);
  }

  /** The content type of {@link #metrics()}. */
  public static String metricsContentType() {
    return PrometheusText.CONTENT_TYPE;
  }

  /**
   * Answers one prompt under every variant with the in-process model (the console's "try it"): see
   * {@link TryIt}. Reads one snapshot, changes nothing.
   */
  public TryAnswers tryIt(String prompt, int maxNewTokens) {
    commits.awaitStartup();
    return TryIt.answer(registry.current(), prompt, maxNewTokens, editor);
  }

  // ---- changes

  /**
   * Computes one edit making {@code requests} true (a batched edit for several) with the configured
   * model and editor, on top of the enabled edits, and registers it enabled.
   */
  public EditView create(List<EditRequest> requests) {
    commits.awaitStartup();
    List<Edit> base = new ArrayList<>();
    for (EditEntry e : registry.current().edits()) {
      if (e.enabled() && e.binding().state() != Binding.State.REFUSED) {
        base.add(e.edit());
      }
    }
    long start = System.nanoTime();
    Edit edit = editor.compute(requests, base);
    latency.record(System.nanoTime() - start);
    AgentLog.info(
        String.format(
            Locale.ROOT,
            "edit %s computed in-process in %.0f ms (on top of %d enabled edits)",
            edit.id(),
            (System.nanoTime() - start) / 1e6,
            base.size()));
    return register(edit, "admin API", false);
  }

  /** Imports an edit file's bytes (verified) and registers the edit enabled. */
  public EditView importFile(byte[] bytes) {
    if (bytes.length == 0) {
      throw new ControlException.InvalidRequest("the body is empty; expected an edit file");
    }
    // reading checks the id against the content, so it is always a safe file name
    return register(readEditFile(bytes), "admin API import", true);
  }

  private static Edit readEditFile(byte[] bytes) {
    try {
      return EditBytes.read(bytes, "the uploaded file");
    } catch (IOException e) {
      throw new ControlException.Failed("cannot buffer the uploaded edit file: " + e, e);
    } catch (IllegalArgumentException e) {
      throw new ControlException.InvalidRequest("not a valid edit file: " + e.getMessage());
    }
  }

  private EditView register(Edit edit, String source, boolean imported) {
    return commits.commit(
        () -> {
          if (registry.current().edit(edit.id()).isPresent()) {
            throw StateChanges.exists(edit.id());
          }
          Binding preview = registry.preview(edit);
          if (preview.state() == Binding.State.REFUSED) {
            throw new ControlException.ForeignModel(
                "edit " + edit.id() + " refused: " + preview.message());
          }
          if (imported && preview.isPending() && editor.hasModel()) {
            editor.checkFits(List.of(edit));
          }
          return StateChanges.add(edit, source);
        },
        // (with a shared store, another replica may have deleted it since: then NotFound)
        () -> edit(edit.id()));
  }

  /** Enables or disables an edit (its membership of the default variant). */
  public EditView setEnabled(String id, boolean enabled) {
    return commits.commit(() -> StateChanges.setEnabled(id, enabled), () -> edit(id));
  }

  /** Deletes an edit (also from every variant) and its file. */
  public void delete(String id) {
    commits.commit(() -> StateChanges.remove(id), () -> null);
  }

  /** Defines or replaces a variant. */
  public Variant putVariant(Variant variant) {
    return commits.commit(() -> StateChanges.putVariant(variant), () -> variant);
  }

  /** Deletes a variant. */
  public void deleteVariant(String name) {
    commits.commit(() -> StateChanges.removeVariant(name), () -> null);
  }

  private static EditEntry entry(Snapshot s, String id) {
    return s.edit(id)
        .orElseThrow(() -> new ControlException.NotFound("no edit with id '" + id + "'"));
  }
}
