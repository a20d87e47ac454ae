/**
 * Figures drawn as PNG files with XChart, all through {@link org.mend4j.runtime.plot.ChartImage}:
 * evaluation metrics against the number of edits, training curves beside a checkpoint, and the
 * benchmarks' figures.
 */
package org.mend4j.runtime.plot;
