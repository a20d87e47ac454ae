package org.mend4j.runtime.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The one way mend4j draws a figure: XChart charts in one style (white, legend below, 900 x 520
 * each), written as one PNG with several charts stacked top to bottom. Every figure of the CLI
 * ({@code eval --plot}, the training curves, {@code bench ... --plot}) goes through here.
 */
public final class ChartImage {

  /** Width of every chart, pixels. */
  public static final int WIDTH = 900;

  /** Height of one chart, pixels. */
  public static final int HEIGHT = 520;

  private ChartImage() {}

  /** An empty line chart. */
  public static XYChart lines(String title, String xTitle, String yTitle) {
    headless();
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    return chart;
  }

  /** An empty bar chart. */
  public static CategoryChart bars(String title, String xTitle, String yTitle) {
    headless();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    chart.getStyler().setLabelsVisible(true);
    return chart;
  }

  private static void style(Styler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
  }

  /**
   * Writes the charts, top to bottom, as one PNG (parent directories created).
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(Path file, List<? extends Chart<?, ?>> charts) {
    if (charts.isEmpty()) {
      throw new IllegalArgumentException("no chart to write to " + file);
    }
    headless();
    int height = charts.stream().mapToInt(Chart::getHeight).sum();
    int width = charts.stream().mapToInt(Chart::getWidth).max().orElseThrow();
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      int y = 0;
      for (Chart<?, ?> chart : charts) {
        g.drawImage(BitmapEncoder.getBufferedImage(chart), 0, y, null);
        y += chart.getHeight();
      }
    } finally {
      g.dispose();
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IOException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void headless() {
    System.setProperty("java.awt.headless", "true");
  }
}
