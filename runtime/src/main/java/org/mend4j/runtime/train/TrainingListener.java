package org.mend4j.runtime.train;

/** Hears about training progress; the CLI draws a progress bar from it. */
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
  void onStep(int step, int total, java.util.Map<String, Double> metrics);
}
