package org.mend4j.agent.hook;

import java.util.concurrent.atomic.LongAdder;

/** What the forward hook did, counted without contention across the host's threads. */
public final class HookCounters {

  private final LongAdder deltasApplied = new LongAdder();
  private final LongAdder editedCalls = new LongAdder();
  private final LongAdder suppressedErrors = new LongAdder();

  void applied(int edits) {
    deltasApplied.add(edits);
    editedCalls.increment();
  }

  void suppressed() {
    suppressedErrors.increment();
  }

  /** Edit deltas added to layer outputs (one per edit per layer call). */
  public long deltasApplied() {
    return deltasApplied.sum();
  }

  /** Layer calls whose output the hook changed. */
  public long editedCalls() {
    return editedCalls.sum();
  }

  /** Errors inside the hook that were swallowed, leaving the host's output as it was. */
  public long suppressedErrors() {
    return suppressedErrors.sum();
  }
}
