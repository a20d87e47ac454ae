package org.mend4j.runtime.plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of {@code mend4j bench gpt2 | edit | compose --plot FILE}, drawn from the result each
 * benchmark prints (the same keys as its {@code --json}), so the picture and the numbers come from
 * one run.
 */
public final class BenchPlot {

  private BenchPlot() {}

  /**
   * {@code bench gpt2}: prompt and decode GFLOP/s beside the matmul peak, and decoding's effective
   * read bandwidth beside the memory bandwidth, all of the same run.
   */
  public static void gpt2(Map<String, Object> r, Path file) {
    CategoryChart compute =
        ChartImage.bars(
            "GPT-2 " + r.get("model") + ": throughput against the matmul peak (same run)",
            "",
            "GFLOP/s");
    compute.addSeries(
        "GFLOP/s",
        List.of(
            "float32 matmul peak",
            "prompt, "
                + r.get("prompt_tokens")
                + " tokens ("
                + r.get("prompt_fraction_of_peak")
                + " of peak)"),
        List.of(number(r, "matmul_peak_gflops"), number(r, "prompt_gflops")));
    CategoryChart memory =
        ChartImage.bars("decoding against the memory bandwidth (same run)", "", "GB/s");
    memory.addSeries(
        "GB/s",
        List.of(
            "memory read bandwidth",
            "decode, KV cache, "
                + r.get("decode_mb_per_token")
                + " MB per token ("
                + r.get("decode_fraction_of_floor")
                + " of the floor)"),
        List.of(number(r, "memory_bandwidth_gb_per_s"), number(r, "decode_gb_per_s")));
    ChartImage.write(file, List.of(compute, memory));
  }

  /** {@code bench edit}: median time of a MEND edit beside forward+backward and fine-tuning. */
  public static void edit(Map<String, Object> r, Path file) {
    CategoryChart chart =
        ChartImage.bars(
            "edit latency, median of " + r.get("n") + " edits", "", "milliseconds per edit");
    chart.addSeries(
        "median ms",
        List.of(
            "one forward + backward",
            "MEND edit",
            "fine-tuning (reliability " + r.get("ft_reliability") + ")"),
        List.of(
            number(r, "forward_backward_ms_median"),
            number(r, "mend_edit_ms_median"),
            number(r, "ft_edit_ms_median")));
    ChartImage.write(file, List.of(chart));
  }

  /** {@code bench compose}: the Nth edit's time and the composition's memory against N. */
  @SuppressWarnings("unchecked")
  public static void compose(Map<String, Object> r, Path file) {
    List<Map<String, Object>> steps = (List<Map<String, Object>>) r.get("steps");
    XYChart time = ChartImage.lines("the Nth edit with N-1 active", "active edits N", "ms");
    time.getStyler().setXAxisLogarithmic(true);
    line(time, steps, "add_nth_edit_ms", "compute and refine the Nth edit");
    line(time, steps, "compose_ms", "compose all N");
    List<Double> ns = values(steps, "n");
    List<Double> single = new ArrayList<>();
    ns.forEach(n -> single.add(number(r, "single_edit_ms")));
    time.addSeries("one edit on the base model", ns, single).setMarker(SeriesMarkers.NONE);
    XYChart memory = ChartImage.lines("memory of the active edits", "active edits N", "MB");
    memory.getStyler().setXAxisLogarithmic(true);
    line(memory, steps, "composed_mb", "composed factors");
    line(memory, steps, "stored_edits_mb", "stored edits");
    line(memory, steps, "dense_mb", "dense weight deltas (for comparison)");
    ChartImage.write(file, List.of(time, memory));
  }

  private static void line(
      XYChart chart, List<Map<String, Object>> steps, String key, String name) {
    XYSeries s = chart.addSeries(name, values(steps, "n"), values(steps, key));
    s.setMarker(SeriesMarkers.CIRCLE);
  }

  private static List<Double> values(List<Map<String, Object>> steps, String key) {
    List<Double> out = new ArrayList<>();
    steps.forEach(s -> out.add(number(s, key)));
    return out;
  }

  private static double number(Map<String, Object> r, String key) {
    if (!(r.get(key) instanceof Number n)) {
      throw new IllegalArgumentException(
          "the benchmark's result has no number '" + key + "': " + r);
    }
    return n.doubleValue();
  }
}
