package org.mend4j.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.data.CounterFactRecord;
import org.mend4j.runtime.data.EasyEditJson;
import org.mend4j.runtime.edit.EditFile;
import org.mend4j.runtime.safetensors.DType;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;
import org.mend4j.runtime.safetensors.TensorInfo;
import org.mend4j.runtime.testing.TestModels;

/**
 * {@code mend4j merge} on the world model with edits made by {@code mend4j edit}: {@code generate}
 * on the merged checkpoint answers as {@code generate --edit} with the same files, the checkpoint
 * keeps the input's tensors, and an edit made for another model is refused with nothing written.
 */
class MergeCommandTest {

  /** Edits of the test split's first records with distinct subjects, composed. */
  private static final int EDITS = 8;

  private static final int NEW_TOKENS = 8;

  private static final String MODEL = TestModels.worldModel().toString();
  private static final String EDITOR = TestModels.worldEditor().toString();

  @TempDir Path tmp;

  @Test
  void generateOnTheMergedCheckpointAnswersAsGenerateWithTheEdits() throws IOException {
    List<CounterFactRecord> records = distinctSubjects(EDITS);
    List<String> editArgs = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      String file = edit(MODEL, records.get(i), tmp.resolve("e" + i + EditFile.SUFFIX));
      editArgs.addAll(List.of("--edit", file));
      files.add(file);
    }
    Path out = tmp.resolve("merged");
    List<String> merge =
        new ArrayList<>(List.of("merge", "--model", MODEL, "--out", out.toString()));
    merge.addAll(editArgs);
    CliRun merged = CliRun.of(merge.toArray(String[]::new));
    System.out.print(merged.out());
    assertThat(merged.status()).as(merged.err()).isZero();

    List<String> withEdits = new ArrayList<>(List.of("--model", MODEL));
    withEdits.addAll(editArgs);
    int same = 0;
    int rephrases = 0;
    for (CounterFactRecord r : records) {
      for (String prompt : List.of(r.prompt(), r.rephrasePrompt(), r.localityPrompt())) {
        String expected = completion(withEdits, prompt);
        String actual = completion(List.of("--model", out.toString()), prompt);
        System.out.printf("%s%n  --edit: %s%n  merged: %s%n", prompt, expected, actual);
        same += actual.equals(expected) ? 1 : 0;
        if (prompt.equals(r.rephrasePrompt())) {
          rephrases += answer(actual).equals(answer(expected)) ? 1 : 0;
        } else {
          assertThat(answer(actual)).as(prompt).isEqualTo(answer(expected));
        }
      }
    }
    System.out.printf(
        "answers identical: every edit prompt and unrelated fact, %d of %d rephrases;"
            + " %d of %d completions of %d tokens identical in full%n",
        rephrases, EDITS, same, 3 * EDITS, NEW_TOKENS);

    JsonObject manifest =
        JsonParser.parseString(Files.readString(out.resolve("mend4j-merge.json")))
            .getAsJsonObject();
    JsonArray edits = manifest.getAsJsonArray("edits");
    assertThat(edits.size()).isEqualTo(EDITS);
    for (int i = 0; i < EDITS; i++) {
      JsonObject e = edits.get(i).getAsJsonObject();
      assertThat(e.get("id").getAsString()).isEqualTo(EditFile.read(Path.of(files.get(i))).id());
      JsonObject request = e.getAsJsonArray("requests").get(0).getAsJsonObject();
      assertThat(request.get("prompt").getAsString()).isEqualTo(records.get(i).prompt());
      assertThat(request.get("target_new").getAsString()).isEqualTo(records.get(i).targetNew());
    }
    assertThat(manifest.getAsJsonArray("weights").size()).isEqualTo(6);
    for (String copied : List.of("config.json", "vocab.json", "merges.txt", "tokenizer.json")) {
      assertThat(out.resolve(copied)).hasSameBinaryContentAs(Path.of(MODEL, copied));
    }
    assertSameTensorsExceptTheEdited(Path.of(MODEL), out, 6);
  }

  @Test
  void editsWithoutGatesMergeExactly() throws IOException {
    Path editor = Files.createDirectories(tmp.resolve("editor-without-key-statistics"));
    for (String f : List.of("editor.safetensors", "hparams.json")) {
      Files.copy(Path.of(EDITOR, f), editor.resolve(f));
    }
    List<CounterFactRecord> records = distinctSubjects(3);
    List<String> args = new ArrayList<>(List.of("--model", MODEL));
    for (int i = 0; i < records.size(); i++) {
      Path file = tmp.resolve("summable" + i + EditFile.SUFFIX);
      args.addAll(List.of("--edit", edit(MODEL, editor.toString(), records.get(i), file)));
    }
    Path out = tmp.resolve("merged");
    List<String> merge = new ArrayList<>(List.of("merge", "--out", out.toString()));
    merge.addAll(args);
    CliRun merged = CliRun.of(merge.toArray(String[]::new));
    assertThat(merged.status()).as(merged.err()).isZero();
    assertThat(merged.out()).contains("(0 gated)").doesNotContain("note:");

    String ids = "50,51,52,53,54,55,56,57";
    float[] expected = logits(args, ids);
    float[] actual = logits(List.of("--model", out.toString()), ids);
    float worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    System.out.printf("largest logit difference, merged vs --edit: %.3g%n", worst);
    assertThat(worst).isLessThan(1e-4f);
    for (CounterFactRecord r : records) {
      for (String prompt : List.of(r.prompt(), r.rephrasePrompt(), r.localityPrompt())) {
        assertThat(completion(List.of("--model", out.toString()), prompt))
            .as(prompt)
            .isEqualTo(completion(args, prompt));
      }
    }
  }

  @Test
  void keepsTheInputsTensorNamesDtypesAndMetadata() throws IOException {
    Path half =
        modelCopy(
            "f16-without-prefix",
            (writer, name, shape, values) ->
                writer.add(
                    name.replaceFirst("^transformer\\.", ""),
                    DType.F16,
                    shape,
                    DType.F16.encode(values)));
    CounterFactRecord r = distinctSubjects(1).get(0);
    String file = edit(half.toString(), r, tmp.resolve("half" + EditFile.SUFFIX));
    Path out = tmp.resolve("merged");

    CliRun run =
        CliRun.of("merge", "--model", half.toString(), "--edit", file, "--out", out.toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertSameTensorsExceptTheEdited(half, out, 6);
    SafeTensorsFile merged = SafeTensorsFile.open(out.resolve("model.safetensors"));
    assertThat(merged.tensors().keySet()).allMatch(n -> !n.startsWith("transformer."));
    assertThat(merged.tensors().values()).allMatch(t -> t.dtype() == DType.F16);
    assertThat(merged.metadata()).containsEntry("format", "pt");
    assertThat(answer(completion(List.of("--model", out.toString()), r.prompt())))
        .isEqualTo(
            answer(completion(List.of("--model", half.toString(), "--edit", file), r.prompt())))
        .isEqualTo(r.targetNew());
  }

  @Test
  void refusesAnEditMadeForAnotherModelAndWritesNothing() throws IOException {
    Path other =
        modelCopy(
            "other-model",
            (writer, name, shape, values) -> {
              if (name.equals("transformer.h.3.mlp.c_fc.weight")) {
                values[0] += 1e-3f;
              }
              writer.add(name, shape, values);
            });
    String good = edit(MODEL, records().get(0), tmp.resolve("good" + EditFile.SUFFIX));
    String foreign =
        edit(other.toString(), records().get(1), tmp.resolve("foreign.mend.safetensors"));
    Path out = tmp.resolve("out/merged");

    CliRun run =
        CliRun.of(
            "merge", "--model", MODEL, "--edit", good, "--edit", foreign, "--out", out.toString());

    System.out.println(run.err());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .contains("foreign.mend.safetensors")
        .contains("computed for another model")
        .contains("transformer.h.3.mlp.c_fc.weight")
        .contains("nothing was written");
    assertThat(out).doesNotExist();
    assertThat(out.getParent()).doesNotExist();

    CliRun twice =
        CliRun.of(
            "merge", "--model", MODEL, "--edit", good, "--edit", good, "--out", out.toString());
    assertThat(twice.status()).isEqualTo(2);
    assertThat(twice.err()).contains("is given twice");
    assertThat(out).doesNotExist();
  }

  @Test
  void mergesTheEnabledEditsOfAnAgentsDirectoryInItsOrder() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("agent-edits"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String file = edit(MODEL, records().get(i), dir.resolve("f" + i + EditFile.SUFFIX));
      ids.add(EditFile.read(Path.of(file)).id());
    }
    Files.writeString(
        dir.resolve("state.json"),
        "{\"format\": \"mend4j.state/1\", \"edits\": ["
            + String.format(
                "{\"id\": \"%s\", \"enabled\": true}, {\"id\": \"%s\", \"enabled\": false},"
                    + " {\"id\": \"%s\", \"enabled\": true}",
                ids.get(2), ids.get(1), ids.get(0))
            + "], \"variants\": []}");
    Path fromDir = tmp.resolve("from-dir");
    Path fromFiles = tmp.resolve("from-files");

    CliRun a =
        CliRun.of(
            "merge", "--model", MODEL, "--edits", dir.toString(), "--out", fromDir.toString());
    CliRun b =
        CliRun.of(
            "merge",
            "--model",
            MODEL,
            "--edit",
            dir.resolve("f2" + EditFile.SUFFIX).toString(),
            "--edit",
            dir.resolve("f0" + EditFile.SUFFIX).toString(),
            "--out",
            fromFiles.toString());

    assertThat(a.status()).as(a.err()).isZero();
    assertThat(b.status()).as(b.err()).isZero();
    assertThat(fromDir.resolve("model.safetensors"))
        .hasSameBinaryContentAs(fromFiles.resolve("model.safetensors"));
    JsonArray edits =
        JsonParser.parseString(Files.readString(fromDir.resolve("mend4j-merge.json")))
            .getAsJsonObject()
            .getAsJsonArray("edits");
    assertThat(edits.size()).isEqualTo(2);
    assertThat(edits.get(0).getAsJsonObject().get("id").getAsString()).isEqualTo(ids.get(2));
    assertThat(edits.get(1).getAsJsonObject().get("id").getAsString()).isEqualTo(ids.get(0));
  }

  /** How a copy of the world model stores one of its tensors. */
  private interface TensorCopy {
    void add(SafeTensorsWriter writer, String name, long[] shape, float[] values);
  }

  /** The world model's config and tokenizer with its tensors written by {@code copy}. */
  private Path modelCopy(String name, TensorCopy copy) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String f : List.of("config.json", "vocab.json", "merges.txt", "tokenizer.json")) {
      Files.copy(Path.of(MODEL, f), dir.resolve(f));
    }
    SafeTensorsFile base = SafeTensorsFile.open(Path.of(MODEL, "model.safetensors"));
    SafeTensorsWriter writer = new SafeTensorsWriter().metadata("format", "pt");
    for (TensorInfo t : base.tensors().values()) {
      copy.add(writer, t.name(), t.shape(), base.floats(t.name()));
    }
    writer.write(dir.resolve("model.safetensors"));
    return dir;
  }

  /** Every tensor under the input's name, dtype and shape, in its order; all but n byte-equal. */
  static void assertSameTensorsExceptTheEdited(Path model, Path merged, int edited) {
    SafeTensorsFile in = SafeTensorsFile.open(model.resolve("model.safetensors"));
    SafeTensorsFile out = SafeTensorsFile.open(merged.resolve("model.safetensors"));
    assertThat(out.tensors().keySet()).containsExactlyElementsOf(in.tensors().keySet());
    int changed = 0;
    for (TensorInfo t : in.tensors().values()) {
      TensorInfo o = out.info(t.name());
      assertThat(o.dtype()).as(t.name()).isEqualTo(t.dtype());
      assertThat(o.shape()).as(t.name()).isEqualTo(t.shape());
      changed += in.raw(t.name()).equals(out.raw(t.name())) ? 0 : 1;
    }
    assertThat(changed).isEqualTo(edited);
  }

  /**
   * The first n test records of distinct subjects: edits of separate facts. (Gates cannot live in a
   * dense weight, so where two edits change one subject the merged answers can differ: see the
   * README.)
   */
  private static List<CounterFactRecord> distinctSubjects(int n) throws IOException {
    java.util.Set<String> subjects = new java.util.HashSet<>();
    return records().stream().filter(r -> subjects.add(r.subject())).limit(n).toList();
  }

  private static List<CounterFactRecord> records() throws IOException {
    return EasyEditJson.readCounterFact(
        TestModels.repoRoot().resolve("data/world/edits-test.json"));
  }

  private static String edit(String model, CounterFactRecord r, Path out) {
    return edit(model, EDITOR, r, out);
  }

  private static String edit(String model, String editor, CounterFactRecord r, Path out) {
    CliRun run =
        CliRun.of(
            "edit",
            "--model",
            model,
            "--editor",
            editor,
            "--prompt",
            r.prompt(),
            "--target",
            r.targetNew(),
            "--rephrase",
            r.rephrasePrompt(),
            "--out",
            out.toString());
    assertThat(run.status()).as(run.err()).isZero();
    return out.toString();
  }

  private static String completion(List<String> modelArgs, String prompt) {
    List<String> args = new ArrayList<>(List.of("generate"));
    args.addAll(modelArgs);
    args.addAll(
        List.of("--prompt", prompt, "--max-new-tokens", Integer.toString(NEW_TOKENS), "--json"));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.status()).as(run.err()).isZero();
    return JsonParser.parseString(run.out()).getAsJsonObject().get("completion").getAsString();
  }

  private static float[] logits(List<String> modelArgs, String ids) {
    List<String> args = new ArrayList<>(List.of("logits"));
    args.addAll(modelArgs);
    args.addAll(List.of("--input-ids", ids, "--json"));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.status()).as(run.err()).isZero();
    JsonArray rows =
        JsonParser.parseString(run.out())
            .getAsJsonObject()
            .getAsJsonArray("logits")
            .get(0)
            .getAsJsonArray();
    List<Float> values = new ArrayList<>();
    rows.forEach(row -> row.getAsJsonArray().forEach(v -> values.add(v.getAsFloat())));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** The answer of a world-model completion: its text before the first period. */
  static String answer(String completion) {
    int end = completion.indexOf('.');
    return (end < 0 ? completion : completion.substring(0, end)).trim();
  }
}
