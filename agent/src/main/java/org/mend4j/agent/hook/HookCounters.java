package org.mend4j.agent.hook;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the forward hook did, counted without contention across the host's threads. */
public final class HookCounters {

  private final LongAdder deltasApplied = new LongAdder();
  private final LongAdder editedCalls = new LongAdder();
  private final LongAdder mergedCalls = new LongAdder();
  private final LongAdder suppressedErrors = new LongAdder();
  private final AtomicLong mergedWeights = new AtomicLong();
  private final AtomicLong mergedFloats = new AtomicLong();
  private final LongAdder moduleSwitches = new LongAdder();
  private final LongAdder moduleSwitchNanos = new LongAdder();
  private final AtomicLong baseCopyFloats = new AtomicLong();
  private final LongAdder scriptModules = new LongAdder();
  private volatile String moduleFailure;

  /** One layer call changed by {@code edits} edits. */
  public void applied(int edits) {
    deltasApplied.add(edits);
    editedCalls.increment();
  }

  /** One layer call computed with a merged weight holding {@code edits} edits. */
  public void merged(int edits) {
    applied(edits);
    mergedCalls.increment();
  }

  /** One agent error kept from the host (its output left unedited). */
  public void suppressed() {
    suppressedErrors.increment();
  }

  /** A merged weight of {@code floats} elements came into use. */
  public void mergedWeightCreated(long floats) {
    mergedWeights.incrementAndGet();
    mergedFloats.addAndGet(floats);
  }

  /** A merged weight of {@code floats} elements was freed. */
  public void mergedWeightFreed(long floats) {
    mergedWeights.decrementAndGet();
    mergedFloats.addAndGet(-floats);
  }

  /** A TorchScript module's weights were switched to another set of edits, in {@code nanos}. */
  public void moduleSwitched(long nanos) {
    moduleSwitches.increment();
    moduleSwitchNanos.add(nanos);
  }

  /** A TorchScript module was met. */
  public void scriptModuleMet() {
    scriptModules.increment();
  }

  /** Why a TorchScript module is left unedited; only the first reason is kept. */
  public void moduleFailed(String reason) {
    if (moduleFailure == null) {
      moduleFailure = reason;
    }
  }

  /** TorchScript modules the hook has met. */
  public long scriptModules() {
    return scriptModules.sum();
  }

  /** Why a TorchScript module is left unedited (the first such reason), or null. */
  public String moduleFailure() {
    return moduleFailure;
  }

  /** A base copy of {@code floats} elements of a TorchScript weight was kept. */
  public void baseCopied(long floats) {
    baseCopyFloats.addAndGet(floats);
  }

  /** Times a TorchScript module's weights were changed in place to another set of edits. */
  public long moduleSwitches() {
    return moduleSwitches.sum();
  }

  /** Time spent changing TorchScript modules' weights, in nanoseconds. */
  public long moduleSwitchNanos() {
    return moduleSwitchNanos.sum();
  }

  /** Floats held by the copies of TorchScript weights' base values (made on first change). */
  public long baseCopyFloats() {
    return baseCopyFloats.get();
  }

  /** Edit deltas added to layer outputs (one per edit per layer call). */
  public long deltasApplied() {
    return deltasApplied.sum();
  }

  /** Layer calls whose output the hook changed (factored or merged). */
  public long editedCalls() {
    return editedCalls.sum();
  }

  /** Edited layer calls the hook computed itself with a merged weight (part of edited calls). */
  public long mergedCalls() {
    return mergedCalls.sum();
  }

  /** Errors inside the hook that were swallowed, leaving the host's output as it was. */
  public long suppressedErrors() {
    return suppressedErrors.sum();
  }

  /** Merged weights alive now (made and not yet freed). */
  public long mergedWeights() {
    return mergedWeights.get();
  }

  /** Floats held by the merged weights alive now. */
  public long mergedFloats() {
    return mergedFloats.get();
  }
}
