package org.mend4j.agent.djl;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Lets forward passes through a module whose weights are changed in place only while the weights
 * are in the state each pass needs, and changes the state only when no pass is running: no pass
 * ever computes with a half-changed module.
 *
 * <p>Passes wanting the current state run concurrently. A pass wanting another state waits until
 * the running ones finish, then the state is switched once for every pass waiting for it. It is
 * fair between states: while some pass waits for another state, passes arriving later for the
 * current state wait too, so a steady stream of one state never starves another; passes that were
 * already waiting when their state was switched in all join it.
 *
 * <p>States are compared with {@code equals}; the switch runs under the gate's monitor.
 */
final class WeightStateGate {

  private Object current;
  private int running;
  private long switches;
  private final Map<Object, Integer> waiting = new HashMap<>();

  /**
   * Creates a gate.
   *
   * @param initial the state the weights are in
   */
  WeightStateGate(Object initial) {
    this.current = initial;
  }

  /**
   * Waits until a pass may run with the weights in {@code wanted}, switching them if it is the
   * first to find the module idle; uninterruptible (an interrupt is kept for the caller).
   *
   * @param wanted the state the pass needs
   * @param switchTo puts the weights into the state it is given and returns the whole state they
   *     are in afterwards (the one given, or another one if it could not); never throws
   * @return the state the pass runs with: {@code wanted}, unless the switch could not make it
   */
  synchronized Object enter(Object wanted, UnaryOperator<Object> switchTo) {
    long arrivedAt = switches;
    boolean interrupted = false;
    waiting.merge(wanted, 1, Integer::sum);
    try {
      while (!mayJoin(wanted, arrivedAt)) {
        // Idle and in another state: switch. Idle in this state but with others waiting for
        // theirs: wait, they were woken when the module went idle and switch first.
        if (running == 0 && !wanted.equals(current)) {
          current = switchTo.apply(wanted);
          switches++;
          break;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      running++;
      return current;
    } finally {
      waiting.computeIfPresent(wanted, (k, n) -> n == 1 ? null : n - 1);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Admits a pass with the weights in whatever state they are: none is being switched (that runs
   * under the monitor) and none will be until the pass exits.
   */
  synchronized void enterAny() {
    running++;
  }

  /** Ends a pass admitted by {@link #enter} or {@link #enterAny}. */
  synchronized void exit() {
    running--;
    if (running == 0) {
      notifyAll();
    }
  }

  /** How many times the state was switched. */
  synchronized long switches() {
    return switches;
  }

  private boolean mayJoin(Object wanted, long arrivedAt) {
    if (!wanted.equals(current)) {
      return false;
    }
    if (arrivedAt < switches) {
      return true; // was waiting when its state came in
    }
    for (Object state : waiting.keySet()) {
      if (!state.equals(current)) {
        return false;
      }
    }
    return true;
  }
}
