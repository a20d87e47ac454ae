package org.mend4j.agent.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mend4j.agent.hook.CopyStatus;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.internal.PrometheusText;
import org.mend4j.agent.persist.EditBytes;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.persist.StateChange;
import org.mend4j.agent.persist.StoreUnavailableException;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditEntry;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.status.StatusReport;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.edit.EditRequest;

/**
 * The control plane's operations. Every change runs under one lock and goes to the {@link
 * EditStore} as a {@link StateChange}: the store validates it against its latest state, writes it,
 * and only then applies it to the registry, so a refused or failed change leaves both as they were
 * (an {@code edits} directory, or a PostgreSQL database shared by a fleet of replicas, where the
 * latest state may hold other replicas' changes). Computing an edit (seconds) happens before that
 * lock, one at a time, so toggles and reads go on meanwhile.
 */
public final class Control {

  private static final long STARTUP_WAIT_SECONDS = 60;

  private final EditRegistry registry;
  private final EditStore store;
  private final InProcessEditor editor;
  private final HookCounters counters;
  private final VariantRouter router;
  private final Function<Snapshot, List<CopyStatus>> copies;
  private final EditLatency latency = new EditLatency();
  private final Object lock = new Object();

  /**
   * Creates the control plane.
   *
   * @param registry the edits and variants
   * @param store where changes are persisted
   * @param modelDir the checkpoint the host serves ({@code model=DIR}), or null
   * @param editorDir the MEND editor for it ({@code editor=DIR}), or null
   * @param counters the forward hook's counters
   * @param router the variant router (requests per variant)
   * @param copies each copy of DJL in the JVM, with its layers as of a snapshot
   */
  public Control(
      EditRegistry registry,
      EditStore store,
      Path modelDir,
      Path editorDir,
      HookCounters counters,
      VariantRouter router,
      Function<Snapshot, List<CopyStatus>> copies) {
    this.registry = registry;
    this.store = store;
    this.editor = new InProcessEditor(modelDir, editorDir);
    this.counters = counters;
    this.router = router;
    this.copies = copies;
  }

  /** An edit registered by an operation, and how it landed. */
  public record Result(EditEntry entry) {
    /** The answer to the caller: id, state, enabled (and the binding's message if any). */
    public JsonObject json() {
      JsonObject o = new JsonObject();
      o.addProperty("id", entry.id());
      o.addProperty("enabled", entry.enabled());
      o.addProperty("state", entry.binding().state().name());
      if (entry.binding().message() != null) {
        o.addProperty("message", entry.binding().message());
      }
      return o;
    }
  }

  // ---- reads

  /** The status document (as in the status file), with requests per variant. */
  public JsonObject status() {
    Snapshot snapshot = registry.current();
    JsonObject json = StatusReport.of(snapshot, counters, copies.apply(snapshot));
    JsonObject requests = new JsonObject();
    router.requestsByVariant().forEach(requests::addProperty);
    json.add("requests_by_variant", requests);
    json.addProperty("unknown_variant_requests", router.unknownVariantRequests());
    json.addProperty("ignored_variant_headers", router.ignoredVariantHeaders());
    json.addProperty("persistent", store.persistent());
    json.add("store", store.status());
    return json;
  }

  /** The edits: {@code id, prompt, target_new, enabled, created}, and more. */
  public JsonArray edits() {
    Snapshot s = registry.current();
    JsonArray list = new JsonArray();
    for (EditEntry e : s.edits()) {
      list.add(editJson(e, s));
    }
    return list;
  }

  /** One edit, as in {@link #edits()}. */
  public JsonObject edit(String id) {
    Snapshot s = registry.current();
    return editJson(entry(s, id), s);
  }

  /** The variants: {@code name, edits, traffic_percent}. */
  public JsonArray variants() {
    JsonArray list = new JsonArray();
    registry.current().variants().values().forEach(v -> list.add(StatusReport.variant(v)));
    return list;
  }

  /** The metrics in the Prometheus text format. */
  public String metrics() {
    return MetricsText.render(registry.current(), counters, router, latency);
  }

  /**
   * Answers one prompt under every variant with the in-process model (the console's "try it"): see
   * {@link TryIt}. Reads one snapshot, changes nothing.
   */
  public JsonObject tryIt(String prompt, int maxNewTokens) {
    awaitStartup();
    return TryIt.answer(registry.current(), prompt, maxNewTokens, editor);
  }

  /** The content type of {@link #metrics()}. */
  public static String metricsContentType() {
    return PrometheusText.CONTENT_TYPE;
  }

  // ---- changes

  /**
   * Computes one edit making {@code requests} true (a batched edit for several) with the configured
   * model and editor, on top of the enabled edits, and registers it enabled.
   */
  public Result create(List<EditRequest> requests) {
    awaitStartup();
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
            java.util.Locale.ROOT,
            "edit %s computed in-process in %.0f ms (on top of %d enabled edits)",
            edit.id(),
            (System.nanoTime() - start) / 1e6,
            base.size()));
    return register(edit, "admin API", false);
  }

  /** Imports an edit file's bytes (verified) and registers the edit enabled. */
  public Result importFile(byte[] bytes) {
    awaitStartup();
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

  private Result register(Edit edit, String source, boolean imported) {
    synchronized (lock) {
      if (registry.current().edit(edit.id()).isPresent()) {
        throw StateChanges.exists(edit.id());
      }
      Binding preview = registry.preview(edit);
      if (preview.state() == Binding.State.REFUSED) {
        throw new ControlException.ForeignModel(
            "edit " + edit.id() + " refused: " + preview.message());
      }
      if (imported && preview.isPending() && editor.hasModel()) {
        editor.checkFits(edit);
      }
      // the file's bytes before anything is written, so an edit that cannot be stored leaves the
      // store as it was
      commit(StateChanges.add(edit, fileBytes(edit), source));
      // (with a shared store, another replica may have deleted it since: then a 404)
      return new Result(entry(registry.current(), edit.id()));
    }
  }

  private static byte[] fileBytes(Edit edit) {
    try {
      return EditFile.bytes(edit);
    } catch (RuntimeException e) {
      throw new ControlException.NotEditable(
          "edit " + edit.id() + " cannot be stored as an edit file: " + e.getMessage(), e);
    }
  }

  /** Enables or disables an edit (its membership of the default variant). */
  public Result setEnabled(String id, boolean enabled) {
    awaitStartup();
    synchronized (lock) {
      commit(StateChanges.setEnabled(id, enabled));
      return new Result(entry(registry.current(), id));
    }
  }

  /** Deletes an edit (also from every variant) and its file. */
  public void delete(String id) {
    awaitStartup();
    synchronized (lock) {
      commit(StateChanges.remove(id));
    }
  }

  /** Defines or replaces a variant. */
  public Variant putVariant(Variant variant) {
    awaitStartup();
    synchronized (lock) {
      commit(StateChanges.putVariant(variant));
      return variant;
    }
  }

  /** Deletes a variant. */
  public void deleteVariant(String name) {
    awaitStartup();
    synchronized (lock) {
      commit(StateChanges.removeVariant(name));
    }
  }

  // ---- helpers

  private static EditEntry entry(Snapshot s, String id) {
    return s.edit(id)
        .orElseThrow(() -> new ControlException.NotFound("no edit with id '" + id + "'"));
  }

  private static JsonObject editJson(EditEntry e, Snapshot s) {
    JsonObject o = new JsonObject();
    EditRequest first = e.edit().requests().get(0);
    o.addProperty("id", e.id());
    o.addProperty("prompt", first.prompt());
    o.addProperty("target_new", first.targetNew());
    o.addProperty("enabled", e.enabled());
    o.addProperty("created", e.edit().created().toString());
    o.addProperty("state", e.binding().state().name());
    o.addProperty("active", s.active().editIds().contains(e.id()));
    if (e.binding().message() != null) {
      o.addProperty("message", e.binding().message());
    }
    o.addProperty("source", e.source());
    JsonArray requests = new JsonArray();
    for (EditRequest r : e.edit().requests()) {
      JsonObject q = new JsonObject();
      q.addProperty("prompt", r.prompt());
      q.addProperty("target_new", r.targetNew());
      if (r.rephrasePrompt() != null) {
        q.addProperty("rephrase_prompt", r.rephrasePrompt());
      }
      requests.add(q);
    }
    o.add("requests", requests);
    return o;
  }

  /**
   * Commits a change to the store (which applies it to the registry). A refused change keeps its
   * status; an unreachable store is 503 and a failed write 500, both with nothing changed.
   */
  private void commit(StateChange change) {
    try {
      store.commit(registry, change);
    } catch (StoreUnavailableException e) {
      AgentLog.warn("change refused, the edit store is unreachable: " + e.getMessage());
      throw new ControlException.Unavailable(
          "the edit store "
              + store.location()
              + " is unreachable, so the change was not made; this replica keeps serving the state"
              + " it last applied and answers reads; try again when the store is back ("
              + e.getMessage()
              + ")",
          e);
    } catch (ControlException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      AgentLog.warn("cannot persist a change in " + store.location() + ": " + e);
      throw new ControlException.Failed(
          "cannot persist the change in "
              + store.location()
              + " (the running agent is unchanged): "
              + e,
          e);
    }
  }

  private void awaitStartup() {
    try {
      if (!registry.awaitStartupLoad(STARTUP_WAIT_SECONDS)) {
        throw new ControlException.Unavailable("edit files are still loading; try again", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlException.Unavailable(
          "interrupted while waiting for the edit files to load", e);
    }
  }
}
