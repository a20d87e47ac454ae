package org.mend4j.runtime.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.mend4j.runtime.train.TrainingListener;

/**
 * A training run's curves, kept beside its checkpoint: {@value #CSV} ({@code step,split,metric,
 * value}: the running training figures at up to about 500 steps, and every validation) and {@value
 * #PNG} (losses in one chart, scores in 0..1 in another; training dashed, validation solid with
 * markers). It passes every event on to the listener it wraps (the progress bar), rewrites both
 * files after each validation and on {@link #write()}, and when a run resumes it keeps the rows
 * written before the step it resumes from.
 */
public final class TrainingCurves implements TrainingListener {

  /** The CSV's file name. */
  public static final String CSV = "training-curves.csv";

  /** The PNG's file name. */
  public static final String PNG = "training-curves.png";

  private static final String HEADER = "step,split,metric,value";
  private static final int POINTS = 500;
  private static final Color[] COLORS = {
    new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0x9467BD)
  };
  private static final BasicStroke TRAIN =
      new BasicStroke(
          1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 3}, 0);
  private static final BasicStroke VALIDATION = new BasicStroke(2.5f);

  private record Row(int step, String split, String metric, double value) {}

  private final Path dir;
  private final String title;
  private final TrainingListener delegate;
  private final List<Row> rows;
  private boolean started;

  /**
   * Curves written into {@code dir}, continuing the CSV already there (a resumed run).
   *
   * @param title the figure's title
   * @param delegate hears every event too
   */
  public TrainingCurves(Path dir, String title, TrainingListener delegate) {
    this.dir = dir;
    this.title = title;
    this.delegate = delegate;
    this.rows = read(dir.resolve(CSV));
  }

  @Override
  public void onStep(int step, int total, Map<String, Double> metrics) {
    delegate.onStep(step, total, metrics);
    if (!started) {
      rows.removeIf(r -> r.step() >= step); // a fresh run, or one resumed at this step
      started = true;
    }
    int every = Math.max(1, total / POINTS);
    if (step % every == 0 || step == total) {
      metrics.forEach((name, value) -> rows.add(new Row(step, "train", name, value)));
    }
  }

  @Override
  public void onValidation(int step, Map<String, Double> metrics) {
    delegate.onValidation(step, metrics);
    metrics.forEach((name, value) -> rows.add(new Row(step, "val", name, value)));
    write();
  }

  /** Writes the CSV and the PNG. */
  public void write() {
    StringBuilder csv = new StringBuilder(HEADER).append('\n');
    for (Row r : rows) {
      csv.append(
          String.format(Locale.ROOT, "%d,%s,%s,%s%n", r.step(), r.split(), r.metric(), r.value()));
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(CSV), csv);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(CSV), e);
    }
    List<XYChart> charts = new ArrayList<>();
    addChart(charts, title + ": loss", "loss", true);
    addChart(charts, title + ": scores", "score", false);
    if (!charts.isEmpty()) {
      ChartImage.write(dir.resolve(PNG), charts);
    }
  }

  /** The chart of the losses (metric names with "loss") or of the other metrics, if any. */
  private void addChart(List<XYChart> charts, String chartTitle, String yTitle, boolean losses) {
    Set<String> metrics = new LinkedHashSet<>();
    rows.stream().map(Row::metric).filter(m -> m.contains("loss") == losses).forEach(metrics::add);
    if (metrics.isEmpty()) {
      return;
    }
    XYChart chart = ChartImage.lines(chartTitle, "step", yTitle);
    if (!losses) {
      chart.getStyler().setYAxisMin(0.0);
      chart.getStyler().setYAxisMax(1.0);
    }
    int color = 0;
    for (String metric : metrics) {
      for (String split : List.of("train", "val")) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Row r : rows) {
          if (r.metric().equals(metric) && r.split().equals(split) && Double.isFinite(r.value())) {
            xs.add((double) r.step());
            ys.add(r.value());
          }
        }
        if (!xs.isEmpty()) {
          XYSeries s = chart.addSeries(split + " " + metric, xs, ys);
          s.setLineColor(COLORS[color % COLORS.length]);
          s.setMarkerColor(COLORS[color % COLORS.length]);
          s.setLineStyle(split.equals("val") ? VALIDATION : TRAIN);
          s.setMarker(split.equals("val") ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
      }
      color++;
    }
    charts.add(chart);
  }

  private static List<Row> read(Path csv) {
    List<Row> rows = new ArrayList<>();
    if (!Files.isRegularFile(csv)) {
      return rows;
    }
    try {
      List<String> lines = Files.readAllLines(csv);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        throw new IllegalArgumentException(
            csv + " is not a training-curves file (header " + HEADER + ")");
      }
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).split(",", -1);
        if (f.length != 4) {
          throw new IllegalArgumentException(
              csv + " line " + (i + 1) + ": expected 4 fields, found " + f.length);
        }
        rows.add(new Row(Integer.parseInt(f[0]), f[1], f[2], Double.parseDouble(f[3])));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(csv + ": " + e.getMessage(), e);
    }
  }
}
