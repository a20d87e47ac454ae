package org.mend4j.runtime.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.train.TrainingListener;

/** The training curves' files and the benchmarks' figures, read back. */
class ChartFilesTest {

  @TempDir Path dir;

  private static BufferedImage png(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as(file + " is a PNG").isNotNull();
    return image;
  }

  @Test
  void trainingCurvesKeepEveryValidationAndAtMostAbout500TrainingPoints() throws IOException {
    TrainingCurves curves = new TrainingCurves(dir, "test", TrainingListener.SILENT);
    for (int step = 1; step <= 2000; step++) {
      curves.onStep(step, 2000, Map.of("loss", 10.0 / step));
      if (step % 500 == 0) {
        curves.onValidation(step, Map.of("loss", 5.0 / step, "edit", step / 2000.0));
      }
    }
    curves.write();
    List<String> lines = Files.readAllLines(dir.resolve(TrainingCurves.CSV));
    assertThat(lines.stream().filter(l -> l.contains(",train,"))).hasSize(500);
    assertThat(lines).contains("4,train,loss,2.5", "2000,val,edit,1.0");
    assertThat(lines.stream().filter(l -> l.contains(",val,"))).hasSize(8);
    BufferedImage image = png(dir.resolve(TrainingCurves.PNG));
    assertThat(image.getWidth()).isEqualTo(ChartImage.WIDTH);
    assertThat(image.getHeight())
        .as("a loss chart and a score chart")
        .isEqualTo(2 * ChartImage.HEIGHT);
  }

  @Test
  void aRunWithOnlyALossHasOneChart() throws IOException {
    TrainingCurves curves = new TrainingCurves(dir, "test", TrainingListener.SILENT);
    curves.onStep(1, 1, Map.of("loss", 1.0));
    curves.write();
    assertThat(png(dir.resolve(TrainingCurves.PNG)).getHeight()).isEqualTo(ChartImage.HEIGHT);
  }

  @Test
  void aCurvesFileThatIsNotOneIsAClearError() throws IOException {
    Files.writeString(dir.resolve(TrainingCurves.CSV), "a,b\n");
    assertThatThrownBy(() -> new TrainingCurves(dir, "test", TrainingListener.SILENT))
        .hasMessageContaining(TrainingCurves.CSV)
        .hasMessageContaining("step,split,metric,value");
  }

  @Test
  void benchFiguresAreDrawnFromTheBenchmarksResults() throws IOException {
    Path gpt2 = dir.resolve("gpt2.png");
    BenchPlot.gpt2(
        Map.of(
            "model", "1x32 vocab 100",
            "prompt_tokens", 8,
            "matmul_peak_gflops", 100.0,
            "prompt_gflops", 60.0,
            "prompt_fraction_of_peak", 0.6,
            "memory_bandwidth_gb_per_s", 20.0,
            "decode_mb_per_token", 500.0,
            "decode_gb_per_s", 17.0,
            "decode_fraction_of_floor", 0.85),
        gpt2);
    assertThat(png(gpt2).getHeight()).isEqualTo(2 * ChartImage.HEIGHT);
    Path compose = dir.resolve("compose.png");
    List<Map<String, Object>> steps =
        List.of(
            Map.of(
                "n",
                1,
                "add_nth_edit_ms",
                20.0,
                "compose_ms",
                1.0,
                "composed_mb",
                0.1,
                "stored_edits_mb",
                0.2,
                "dense_mb",
                3.0),
            Map.of(
                "n",
                10,
                "add_nth_edit_ms",
                60.0,
                "compose_ms",
                5.0,
                "composed_mb",
                1.0,
                "stored_edits_mb",
                2.0,
                "dense_mb",
                3.0));
    BenchPlot.compose(Map.of("single_edit_ms", 20.0, "steps", steps), compose);
    assertThat(png(compose).getHeight()).isEqualTo(2 * ChartImage.HEIGHT);
    assertThatThrownBy(() -> BenchPlot.edit(Map.of("n", 3), dir.resolve("edit.png")))
        .hasMessageContaining("forward_backward_ms_median");
    assertThat(dir.resolve("edit.png")).doesNotExist();
  }
}
