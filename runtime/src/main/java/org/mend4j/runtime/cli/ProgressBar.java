package org.mend4j.runtime.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.mend4j.runtime.train.TrainingListener;

/**
 * A one-line progress bar on stderr (step, running metrics, ETA), redrawn at most a few times a
 * second; where stderr is not a terminal it prints a line every tenth of the run instead.
 */
final class ProgressBar implements TrainingListener {

  private static final int WIDTH = 30;

  private final String label;
  private final PrintStream out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long lastDraw;
  private int lastTenth = -1;

  ProgressBar(String label) {
    this.label = label;
    this.out = System.err;
    this.terminal = System.console() != null;
  }

  @Override
  public void onStep(int step, int total, Map<String, Double> metrics) {
    long now = System.nanoTime();
    int tenth = 10 * step / Math.max(1, total);
    boolean last = step >= total;
    if (terminal ? now - lastDraw < 250_000_000L && !last : tenth == lastTenth && !last) {
      return;
    }
    lastDraw = now;
    lastTenth = tenth;
    double elapsed = (now - start) / 1e9;
    double eta = step == 0 ? 0 : elapsed / step * (total - step);
    int filled = (int) ((long) WIDTH * step / Math.max(1, total));
    StringBuilder line = new StringBuilder(label).append(" [");
    line.append("=".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
    line.append(step).append('/').append(total);
    metrics.forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
    line.append(String.format(Locale.ROOT, " %s ETA %s", clock(elapsed), clock(eta)));
    if (terminal) {
      out.print("\r" + line + (last ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
