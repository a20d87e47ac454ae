package org.mend4j.runtime.mend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.plot.TrainingCurves;
import org.mend4j.runtime.testing.TestModels;
import org.mend4j.runtime.train.TrainingListener;

class EditorTrainingTest {

  @TempDir Path dir;

  private static List<EditCase> cases(int n) {
    List<EditCase> out = new ArrayList<>();
    String[] cities = {"Paris", "Rome", "Berlin", "Madrid", "Vienna", "Prague"};
    for (int i = 0; i < n; i++) {
      out.add(
          new EditCase(
              i,
              "The capital of country " + i + " is",
              cities[i % cities.length],
              cities[(i + 1) % cities.length],
              "country " + i,
              "Country " + i + " has its capital in",
              "The river of town " + i + " is",
              "long"));
    }
    return out;
  }

  private MendHparams hparams(Gpt2Model model, int maxIters) throws IOException {
    return hparams(model, maxIters, 0);
  }

  private MendHparams hparams(Gpt2Model model, int maxIters, int history) throws IOException {
    Path file = dir.resolve("hparams-" + maxIters + "-" + history + ".json");
    Files.writeString(
        file,
        "{\"rank\": 8, \"max_iters\": "
            + maxIters
            + ", \"history\": "
            + history
            + ", \"val_interval\": 10, \"val_steps\": 4, \"accumulate_bs\": 2,"
            + " \"some_easyedit_field\": \"ignored\"}");
    return MendHparams.read(file, MendHparams.defaults(model.config()));
  }

  @Test
  void trainsOnSequentialEpisodesOnceTheEditorCanEdit() throws IOException {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model model =
            Gpt2Model.load(
                TestModels.tinyWithTokenizer(Files.createDirectory(dir.resolve("h"))), manager)) {
      List<String> log = new ArrayList<>();
      EditorTraining.Result result =
          new EditorTraining(model, hparams(model, 30, 2), cases(12), cases(4), dir.resolve("e"))
              .run(TrainingListener.SILENT, log::add);
      assertThat(result.steps()).isEqualTo(30);
      assertThat(log).hasSize(3);
      assertThat(result.best().loss()).isFinite();
    }
  }

  @Test
  void keepsTheBestEditorAndResumesFromItsCheckpoint() throws IOException {
    Path out = dir.resolve("editor");
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Model model =
            Gpt2Model.load(
                TestModels.tinyWithTokenizer(Files.createDirectory(dir.resolve("m"))), manager)) {
      List<String> log = new ArrayList<>();
      EditorTraining.Result first =
          new EditorTraining(model, hparams(model, 20), cases(12), cases(4), out)
              .run(TrainingListener.SILENT, log::add);
      assertThat(first.steps()).isEqualTo(20);
      assertThat(log).hasSize(2).allMatch(line -> line.contains("val loss"));
      assertThat(out.resolve(MendEditor.WEIGHTS_FILE)).exists();
      assertThat(out.resolve("checkpoint/state.json")).exists();
      List<String> curves = Files.readAllLines(out.resolve(TrainingCurves.CSV));
      assertThat(curves.get(0)).isEqualTo("step,split,metric,value");
      assertThat(curves.stream().filter(l -> l.contains(",val,")))
          .extracting(l -> l.substring(0, l.lastIndexOf(',')))
          .containsExactly(
              "10,val,loss",
              "10,val,edit",
              "10,val,loc",
              "20,val,loss",
              "20,val,edit",
              "20,val,loc");
      String lossAt10 =
          curves.stream().filter(l -> l.startsWith("10,val,loss,")).findFirst().orElseThrow();
      assertThat(log.get(0))
          .as("the CSV holds the validation the log reports")
          .startsWith(
              String.format(
                  java.util.Locale.ROOT,
                  "step 10 val loss %.4f",
                  Double.parseDouble(lossAt10.split(",")[3])));
      assertThat(out.resolve(TrainingCurves.PNG)).exists();

      log.clear();
      EditorTraining.Result resumed =
          new EditorTraining(model, hparams(model, 30), cases(12), cases(4), out)
              .run(TrainingListener.SILENT, log::add);
      assertThat(log.get(0)).startsWith("resuming from step 20");
      assertThat(resumed.steps()).isEqualTo(30);
      List<String> resumedCurves = Files.readAllLines(out.resolve(TrainingCurves.CSV));
      assertThat(resumedCurves.stream().filter(l -> l.contains(",train,loss,")))
          .as("every step once, across the resume")
          .extracting(l -> Integer.parseInt(l.split(",")[0]))
          .containsExactlyElementsOf(
              java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList());
      assertThat(resumedCurves.stream().filter(l -> l.contains(",val,loss,")))
          .extracting(l -> l.split(",")[0])
          .containsExactly("10", "20", "30");
      assertThat(resumedCurves.subList(0, curves.size()))
          .as("the first run's rows are kept")
          .isEqualTo(curves);
      MendEditor best = MendEditor.load(out, model.config(), manager);
      assertThat(best.id()).startsWith("mend-");
    }
  }

  @Test
  void malformedHparamsAreClearErrors() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.json"), "{\"combine\": true, \"x_only\": true}");
    MendHparams base = MendHparams.defaults(org.mend4j.runtime.testing.TestWeights.smallConfig());
    assertThatThrownBy(() -> MendHparams.read(file, base))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("combine cannot be used with");
    Path notJson = Files.writeString(dir.resolve("nope.json"), "rank: 3");
    assertThatThrownBy(() -> MendHparams.read(notJson, base)).hasMessageContaining("malformed");
  }
}
