package org.mend4j.runtime.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.gpt2.Gpt2Weights;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.safetensors.SafeTensorsWriter;
import org.mend4j.runtime.testing.TestWeights;

class EditFileTest {

  @TempDir Path dir;

  static Edit sample(String fingerprint) {
    ParamDelta p =
        new ParamDelta(
            "transformer.h.1.mlp.c_fc.weight",
            new long[] {2, 3},
            fingerprint,
            2,
            new float[] {1, 2, 3, 4},
            new float[] {0.5f, -1, 2, 3, 4, 5},
            1e-4f);
    return Edit.create(
        Instant.parse("2026-11-29T10:00:00Z"),
        "mend-test",
        List.of(new EditRequest("The capital of X is", "Y", "X's capital is")),
        List.of(p));
  }

  @Test
  void roundTripsEverything() {
    Edit edit = sample("sha256:abc");
    Path file = dir.resolve("a" + EditFile.SUFFIX);
    EditFile.write(edit, file);
    Edit read = EditFile.read(file);
    assertThat(read.id()).isEqualTo(edit.id()).startsWith("e");
    assertThat(read.created()).isEqualTo(edit.created());
    assertThat(read.editorId()).isEqualTo("mend-test");
    assertThat(read.requests()).isEqualTo(edit.requests());
    ParamDelta p = read.params().get(0);
    assertThat(p.name()).isEqualTo("transformer.h.1.mlp.c_fc.weight");
    assertThat(p.shape()).containsExactly(2, 3);
    assertThat(p.fingerprint()).isEqualTo("sha256:abc");
    assertThat(p.u()).containsExactly(1, 2, 3, 4);
    assertThat(p.delta()).containsExactly(0.5f, -1, 2, 3, 4, 5);
    assertThat(p.alpha()).isEqualTo(1e-4f);
    assertThat(EditFile.bytes(edit)).isEqualTo(readAll(file));
  }

  @Test
  void roundTripsKeysAndValuesOfComposableEdits() {
    KeyValues kv =
        new KeyValues(
            1, new float[] {1, -2}, new float[] {0.5f, -1}, new float[] {3, 2, 1}, 2f, 0.7f);
    ParamDelta p = sample("sha256:abc").params().get(0);
    ParamDelta withKeys =
        new ParamDelta(
            p.name(), p.shape(), p.fingerprint(), p.rows(), p.u(), p.delta(), p.alpha(), kv);
    Edit edit =
        Edit.create(
            Instant.parse("2026-12-01T10:00:00Z"),
            "mend-test",
            List.of(new EditRequest("The capital of X is", "Y", null)),
            List.of(withKeys));
    assertThat(edit.id()).isNotEqualTo(sample("sha256:abc").id());
    Path file = dir.resolve("k" + EditFile.SUFFIX);
    EditFile.write(edit, file);
    Edit read = EditFile.read(file);
    assertThat(read.id()).isEqualTo(edit.id());
    KeyValues back = read.params().get(0).keyValues();
    assertThat(back.keys()).containsExactly(1, -2);
    assertThat(back.whitenedKeys()).containsExactly(0.5f, -1);
    assertThat(back.values()).containsExactly(3, 2, 1);
    assertThat(back.lambda()).isEqualTo(2f);
    assertThat(back.gate()).isEqualTo(0.7f);
    assertThat(EditFile.read(writeSample()).params().get(0).keyValues())
        .as("a format-1 file has no keys")
        .isNull();
  }

  private Path writeSample() {
    Path file = dir.resolve("old" + EditFile.SUFFIX);
    EditFile.write(sample("sha256:abc"), file);
    return file;
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void corruptedTensorDataIsRefused() throws IOException {
    Path file = dir.resolve("a" + EditFile.SUFFIX);
    EditFile.write(sample("sha256:abc"), file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x40;
    Files.write(file, bytes);
    assertThatThrownBy(() -> EditFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupted");
  }

  @Test
  void anAlteredDescriptionIsRefused() {
    Path file = dir.resolve("a" + EditFile.SUFFIX);
    EditFile.write(sample("sha256:abc"), file);
    UnaryOperator<JsonObject> nanAlpha =
        d -> {
          d.getAsJsonArray("params").get(0).getAsJsonObject().addProperty("alpha", Float.NaN);
          return d;
        };
    // the description no longer matches the digest over the whole file
    Path altered = rewrite(file, "n", nanAlpha, true);
    assertThatThrownBy(() -> EditFile.read(altered))
        .hasMessageContaining("corrupted edit file (its description does not match");
    // without that digest (as in files written before it existed), the content-derived id tells
    Path legacy = rewrite(file, "l", nanAlpha, false);
    assertThatThrownBy(() -> EditFile.read(legacy)).hasMessageContaining("altered edit file");
    Path renamed =
        rewrite(
            file,
            "r",
            d -> {
              d.addProperty("id", "e000000000000000");
              return d;
            },
            false);
    assertThatThrownBy(() -> EditFile.read(renamed))
        .hasMessageContaining("its id e000000000000000 is not the one");
    Path twice =
        rewrite(
            file,
            "t",
            d -> {
              d.getAsJsonArray("params").add(d.getAsJsonArray("params").get(0));
              return d;
            },
            false);
    assertThatThrownBy(() -> EditFile.read(twice))
        .hasMessageContaining("parameter 'transformer.h.1.mlp.c_fc.weight' is listed twice");
    assertThat(EditFile.read(rewrite(file, "same", d -> d, true)).id())
        .isEqualTo(EditFile.read(file).id());
  }

  @Test
  void nonFiniteValuesAreRefusedNamingTheTensorEvenWithEveryDigestRecomputed() {
    ParamDelta p = sample("sha256:abc").params().get(0);
    float[] u = p.u().clone();
    u[3] = Float.NaN;
    Edit nan =
        Edit.create(
            Instant.parse("2026-11-29T10:00:00Z"),
            "mend-test",
            sample("sha256:abc").requests(),
            List.of(
                new ParamDelta(
                    p.name(), p.shape(), p.fingerprint(), p.rows(), u, p.delta(), p.alpha())));
    Path file = dir.resolve("nan" + EditFile.SUFFIX);
    EditFile.write(nan, file);
    assertThatThrownBy(() -> EditFile.read(file))
        .hasMessageContaining("parameter 'transformer.h.1.mlp.c_fc.weight': u[3] is NaN");
  }

  /** The file's tensors again, with its description changed and its tensor digest recomputed. */
  private Path rewrite(
      Path file, String name, UnaryOperator<JsonObject> change, boolean keepFullDigest) {
    SafeTensorsFile st = SafeTensorsFile.open(file);
    SafeTensorsWriter writer = new SafeTensorsWriter();
    st.tensors().forEach((t, info) -> writer.add(t, info.shape(), st.floats(t)));
    JsonObject description =
        JsonParser.parseString(st.metadata().get("mend4j.edit")).getAsJsonObject();
    writer.metadata("mend4j.edit", change.apply(description).toString());
    writer.metadata("sha256", writer.dataSha256());
    if (keepFullDigest) {
      writer.metadata("mend4j.sha256", st.metadata().get("mend4j.sha256"));
    }
    Path out = dir.resolve(name + EditFile.SUFFIX);
    writer.write(out);
    return out;
  }

  @Test
  void truncatedAndForeignFilesAreRefused() throws IOException {
    Path file = dir.resolve("a" + EditFile.SUFFIX);
    EditFile.write(sample("sha256:abc"), file);
    byte[] bytes = Files.readAllBytes(file);
    Path truncated =
        Files.write(
            dir.resolve("t" + EditFile.SUFFIX), java.util.Arrays.copyOf(bytes, bytes.length - 8));
    assertThatThrownBy(() -> EditFile.read(truncated)).hasMessageContaining("truncated");
    Path foreign = dir.resolve("f" + EditFile.SUFFIX);
    new SafeTensorsWriter().add("w", new long[] {1}, new float[] {1}).write(foreign);
    assertThatThrownBy(() -> EditFile.read(foreign)).hasMessageContaining("not a mend4j edit file");
  }

  @Test
  void editForAnotherModelIsRefusedNamingTheParameter() {
    try (NDManager manager = NDManager.newBaseManager();
        Gpt2Weights weights = TestWeights.nonTrivial(TestWeights.smallConfig(), 1, manager)) {
      String name = "transformer.h.1.mlp.c_fc.weight";
      String actual = Fingerprint.of(weights.base(name));
      assertThat(actual)
          .startsWith("sha256:")
          .isNotEqualTo(Fingerprint.of(weights.base("transformer.h.0.mlp.c_fc.weight")));
      assertThatThrownBy(
              () ->
                  EditedParams.of(
                      weights,
                      List.of(sample("sha256:other")),
                      n -> Fingerprint.of(weights.base(n)),
                      manager))
          .hasMessageContaining("computed for another model")
          .hasMessageContaining(name);
    }
  }
}
