package org.mend4j.agent.hook;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.internal.LogText;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Selection;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.registry.Variant;
import org.mend4j.agent.registry.VariantSplit;

/**
 * Chooses the variant a request is served with, on its first layer call, and counts requests per
 * variant:
 *
 * <ul>
 *   <li>a request with {@code X-Mend4j-Variant: NAME}, where the {@link VariantHeaderPolicy} admits
 *       NAME, gets that variant ({@code default} names the default variant); an unknown name gets
 *       the default variant and is counted as unknown (the agent never fails a host request); a
 *       header the policy does not admit is counted and ignored;
 *   <li>otherwise, if some variant has traffic, the deterministic split of {@link VariantSplit},
 *       keyed on {@code X-Request-Id} if present, else on a counter of such requests;
 *   <li>otherwise the default variant.
 * </ul>
 */
public final class VariantRouter {

  private static final int MAX_WARNED = 32;

  private final VariantHeaderPolicy headerPolicy;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final LongAdder unknown = new LongAdder();
  private final LongAdder ignoredHeaders = new LongAdder();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** A router that honours the variant header as {@code headerPolicy} says. */
  public VariantRouter(VariantHeaderPolicy headerPolicy) {
    this.headerPolicy = headerPolicy;
  }

  /**
   * The selection a request is served with: pinned on its first call, from the registry's settled
   * snapshot (the first forward pass waits for edits given at start), and the same for every later
   * call of the request.
   */
  public Selection selectionOf(RequestScope scope, EditRegistry registry) {
    if (!scope.pinned()) {
      pin(scope, registry.settled(registry.current()));
    }
    return scope.selection();
  }

  /** Pins {@code snapshot} and the chosen variant's selection on {@code scope}. */
  void pin(RequestScope scope, Snapshot snapshot) {
    String name = choose(scope, snapshot);
    Selection selection = snapshot.selection(name);
    if (selection == null) { // a variant that vanished between choice and lookup cannot happen
      name = Variant.DEFAULT; // (one snapshot), but stay safe
      selection = snapshot.active();
    }
    scope.pin(snapshot, selection, name);
    requests.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  /** The variant's name for a request ({@link Variant#DEFAULT} for the default variant). */
  String choose(RequestScope scope, Snapshot snapshot) {
    String requested = scope.requestedVariant();
    if (requested != null && !headerPolicy.admits(requested)) {
      ignoredHeaders.increment();
      requested = null;
    }
    if (requested != null) {
      if (requested.equals(Variant.DEFAULT) || snapshot.variants().containsKey(requested)) {
        return requested;
      }
      unknown.increment();
      if (warned.size() < MAX_WARNED && warned.add(requested)) {
        AgentLog.warn(
            "request asked for unknown variant '"
                + LogText.clean(requested)
                + "'; served with the default variant (logged once per name)");
      }
      return Variant.DEFAULT;
    }
    if (!hasTraffic(snapshot)) {
      return Variant.DEFAULT;
    }
    int bucket =
        scope.requestId() != null
            ? VariantSplit.bucket(scope.requestId())
            : VariantSplit.bucket(sequence.getAndIncrement());
    String chosen = VariantSplit.choose(bucket, snapshot.variants().values());
    return chosen == null ? Variant.DEFAULT : chosen;
  }

  private static boolean hasTraffic(Snapshot snapshot) {
    for (Variant v : snapshot.variants().values()) {
      if (v.trafficPercent() > 0) {
        return true;
      }
    }
    return false;
  }

  /** Requests that reached the model, by the variant they were served with. */
  public Map<String, Long> requestsByVariant() {
    Map<String, Long> out = new TreeMap<>();
    requests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Requests whose variant header the {@link VariantHeaderPolicy} did not admit. */
  public long ignoredVariantHeaders() {
    return ignoredHeaders.sum();
  }

  /** Requests that asked for a variant that does not exist. */
  public long unknownVariantRequests() {
    return unknown.sum();
  }
}
