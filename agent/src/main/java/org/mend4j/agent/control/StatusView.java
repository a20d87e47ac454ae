package org.mend4j.agent.control;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.mend4j.agent.hook.CopyStatus;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.Variant;
import org.mend4j.runtime.engine.MklCpuDispatch;

/**
 * The agent's state in one read: the snapshot's edits and variants, the copies of DJL and their
 * layers, the forward hook's and the router's counters, and the store. What {@code GET
 * /mend4j/v1/status}, the status file and JMX show.
 *
 * @param snapshot the snapshot's version
 * @param hostReady whether the host's first forward pass has happened
 * @param loading whether edit files are still loading
 * @param copies each copy of DJL in the JVM and its layers
 * @param counters the forward hook's counters, as read
 * @param edits the edits, in registration order
 * @param variants the variants, by name
 * @param requestsByVariant requests served per variant
 * @param unknownVariantRequests requests naming a variant that does not exist
 * @param ignoredVariantHeaders variant headers the policy ignored
 * @param persistent whether changes outlive the process
 * @param store the store's own status (kind, location, sync), as it reports it
 * @param mklDispatch whether libtorch's oneMKL dispatches on the CPU's features in this process
 */
public record StatusView(
    long snapshot,
    boolean hostReady,
    boolean loading,
    List<CopyStatus> copies,
    Counters counters,
    List<EditView> edits,
    List<Variant> variants,
    Map<String, Long> requestsByVariant,
    long unknownVariantRequests,
    long ignoredVariantHeaders,
    boolean persistent,
    JsonObject store,
    MklDispatch mklDispatch) {

  /** Copies the lists and the map. */
  public StatusView {
    copies = List.copyOf(copies);
    edits = List.copyOf(edits);
    variants = List.copyOf(variants);
    requestsByVariant = Map.copyOf(requestsByVariant);
  }

  /** The forward hook's counters, read once (see {@link HookCounters}). */
  public record Counters(
      long deltasApplied,
      long editedCalls,
      long mergedCalls,
      long suppressedErrors,
      long mergedWeights,
      long mergedFloats,
      long scriptModules,
      long moduleSwitches,
      long moduleSwitchNanos,
      long baseCopyFloats,
      String moduleFailure) {

    /** The counters' values now. */
    static Counters of(HookCounters c) {
      return new Counters(
          c.deltasApplied(),
          c.editedCalls(),
          c.mergedCalls(),
          c.suppressedErrors(),
          c.mergedWeights(),
          c.mergedFloats(),
          c.scriptModules(),
          c.moduleSwitches(),
          c.moduleSwitchNanos(),
          c.baseCopyFloats(),
          c.moduleFailure());
    }
  }

  /**
   * Whether this process loaded {@link MklCpuDispatch}'s library ({@code mkl.cpu.dispatch=true})
   * and how many times oneMKL asked it which path to take (0 after the host's products: too late).
   */
  public record MklDispatch(boolean loaded, int answered) {

    /** Its state now. */
    static MklDispatch now() {
      boolean loaded = MklCpuDispatch.loaded();
      return new MklDispatch(loaded, loaded ? MklCpuDispatch.answered() : 0);
    }
  }

  /** Host layers tracked, over every copy of DJL. */
  public int trackedLayers() {
    return copies.stream().mapToInt(CopyStatus::layers).sum();
  }

  /** Edits that are enabled. */
  public long enabledEdits() {
    return edits.stream().filter(EditView::enabled).count();
  }

  /** Edits that change the host's outputs now. */
  public long activeEdits() {
    return edits.stream().filter(EditView::active).count();
  }

  /** Edits whose binding is in {@code state}. */
  public long editsIn(Binding.State state) {
    return edits.stream().filter(e -> e.binding().state() == state).count();
  }

  /** The host layers some edit is bound to, in name order. */
  public SortedSet<String> boundLayers() {
    SortedSet<String> bound = new TreeSet<>();
    edits.forEach(e -> e.binding().targets().forEach(t -> bound.addAll(t.layers())));
    return bound;
  }
}
