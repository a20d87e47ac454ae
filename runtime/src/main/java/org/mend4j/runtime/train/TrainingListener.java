package org.mend4j.runtime.train;

import java.util.Map;

/** Hears about training progress; the CLI draws a progress bar and the training curves from it. */
@FunctionalInterface
public interface TrainingListener {

  /** A listener that ignores everything. */
  TrainingListener SILENT = (step, total, metrics) -> {};

  /**
   * Called after each optimiser step.
   *
   * @param step steps done so far
   * @param total steps planned
   * @param metrics named running figures (e.g. loss), in display order
   */
  void onStep(int step, int total, Map<String, Double> metrics);

  /**
   * Called after a validation, for trainers that validate (by default ignored).
   *
   * @param step steps done when it ran
   * @param metrics named validation figures, in display order
   */
  default void onValidation(int step, Map<String, Double> metrics) {}
}
