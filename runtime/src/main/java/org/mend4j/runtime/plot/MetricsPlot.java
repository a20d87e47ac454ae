package org.mend4j.runtime.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Reliability, generalisation, locality and neighbourhood locality against the number of active
 * edits, one line per metric and run (a composition rule, say), as {@code mend4j eval --plot} draws
 * them.
 */
public final class MetricsPlot {

  /** The metrics drawn, as {@code eval --json} names them, with their colours. */
  private static final Map<String, Color> METRICS = new LinkedHashMap<>();

  static {
    METRICS.put("reliability", new Color(0x1F77B4));
    METRICS.put("generalization", new Color(0xFF7F0E));
    METRICS.put("locality", new Color(0x2CA02C));
    METRICS.put("neighborhood_locality", new Color(0x9467BD));
  }

  private static final BasicStroke[] STROKES = {
    new BasicStroke(2.5f),
    new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0),
    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 3}, 0)
  };

  private MetricsPlot() {}

  /**
   * Writes the figure.
   *
   * @param runs label to results (each {@code eval --json} object with {@code n} and the metrics),
   *     one line style per label
   * @param title the chart's title
   * @param file the PNG to write
   */
  public static void write(Map<String, List<Map<String, Object>>> runs, String title, Path file) {
    XYChart chart = ChartImage.lines(title, "active edits N", "score");
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    int style = 0;
    for (Map.Entry<String, List<Map<String, Object>>> run : runs.entrySet()) {
      for (Map.Entry<String, Color> metric : METRICS.entrySet()) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Map<String, Object> r : run.getValue()) {
          Object y = r.get(metric.getKey());
          if (y instanceof Number number && !Double.isNaN(number.doubleValue())) {
            xs.add(((Number) r.get("n")).doubleValue());
            ys.add(number.doubleValue());
          }
        }
        if (!xs.isEmpty()) {
          XYSeries s = chart.addSeries(run.getKey() + ": " + metric.getKey(), xs, ys);
          s.setLineColor(metric.getValue());
          s.setMarkerColor(metric.getValue());
          s.setLineStyle(STROKES[style % STROKES.length]);
          s.setMarker(SeriesMarkers.CIRCLE);
        }
      }
      style++;
    }
    ChartImage.write(file, List.of(chart));
  }
}
