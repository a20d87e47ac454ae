/** Figures drawn as PNG files with XChart: evaluation metrics against the number of edits. */
package org.mend4j.runtime.plot;
