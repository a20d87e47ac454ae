package org.mend4j.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.engine.MklCpuDispatch;
import org.mend4j.runtime.engine.RowProducts;
import org.mend4j.runtime.plot.ChartImage;
import org.mend4j.runtime.testing.TestModels;

/** The command-line contract the acceptance checks call. */
class CliContractTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static final String MODEL = TestModels.tinyRandomGpt2().toString();

  @Test
  void generateGreedyJson() {
    CliRun r =
        run(
            "generate",
            "--model",
            MODEL,
            "--input-ids",
            "0,0,195,731",
            "--max-length",
            "10",
            "--json");
    assertThat(r.status()).isZero();
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    assertThat(json.get("output_ids").toString())
        .isEqualTo("[0,0,195,731,731,114,114,114,114,114]");
    assertThat(json.has("text")).isTrue();
  }

  @Test
  void logitsJsonHasBatchPositionVocabShape() {
    CliRun r =
        run(
            "logits",
            "--model",
            MODEL,
            "--input-ids",
            "0,0,0,52",
            "--input-ids",
            "0,0,195,731",
            "--json");
    assertThat(r.status()).isZero();
    var logits = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("logits");
    assertThat(logits.size()).isEqualTo(2);
    assertThat(logits.get(0).getAsJsonArray().size()).isEqualTo(4);
    assertThat(logits.get(0).getAsJsonArray().get(0).getAsJsonArray().size()).isEqualTo(1000);
  }

  @Test
  void tokenizeJson() {
    CliRun r = run("tokenize", "--model", MODEL, "--json", "Hello world");
    assertThat(r.out().trim()).isEqualTo("{\"ids\":[15496,995]}");
  }

  @Test
  void benchDrawsItsFiguresWithPlot(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("figures/gpt2.png");
    CliRun r =
        run(
            "bench",
            "gpt2",
            "--layers",
            "1",
            "--width",
            "32",
            "--heads",
            "2",
            "--vocab",
            "100",
            "--prompt-tokens",
            "8",
            "--decode-tokens",
            "4",
            "--runs",
            "2",
            "--bandwidth-mib",
            "8",
            "--json",
            "--plot",
            png.toString());
    assertThat(r.status()).as(r.err()).isZero();
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    assertThat(json.keySet())
        .containsExactly(
            "model",
            "prompt_tokens",
            "decode_tokens",
            "rounds",
            "cores",
            "torch_threads",
            "torch_interop_threads",
            "load_average_before",
            "load_average_after",
            "bandwidth_array_mib",
            "matmul_peak_gflops",
            "memory_bandwidth_gb_per_s",
            "prompt_ms",
            "prompt_tokens_per_s",
            "prompt_gflops",
            "prompt_fraction_of_peak",
            "decode_ms_per_token",
            "decode_tokens_per_s",
            "decode_mb_per_token",
            "decode_gb_per_s",
            "decode_floor_ms_per_token",
            "decode_fraction_of_floor",
            "decode_gflops",
            "decode_fraction_of_peak",
            "products_ms_per_token",
            "products_gb_per_s",
            "products_fraction_of_bandwidth",
            "decode_fraction_of_products",
            "mkl_cpu_dispatch",
            "row_products");
    for (String figure :
        List.of(
            "matmul_peak_gflops",
            "memory_bandwidth_gb_per_s",
            "decode_fraction_of_floor",
            "products_fraction_of_bandwidth",
            "decode_fraction_of_products")) {
      assertThat(json.get(figure).getAsDouble()).as(figure).isPositive();
    }
    assertThat(json.get("rounds").getAsInt()).isEqualTo(2);
    assertThat(json.get("mkl_cpu_dispatch").getAsBoolean()).isEqualTo(MklCpuDispatch.loaded());
    assertThat(json.get("row_products").getAsBoolean()).isEqualTo(RowProducts.loaded());
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG").isNotNull();
    assertThat(image.getHeight()).isEqualTo(2 * ChartImage.HEIGHT);
  }

  @Test
  void badInputIsAClearErrorNotAStackTrace() {
    CliRun ragged =
        run("logits", "--model", MODEL, "--input-ids", "0,1", "--input-ids", "0", "--json");
    assertThat(ragged.status()).isEqualTo(2);
    assertThat(ragged.err()).contains("same length");
    CliRun outOfVocab = run("generate", "--model", MODEL, "--input-ids", "5000", "--json");
    assertThat(outOfVocab.err()).contains("token id 5000 is outside the vocabulary of 1000");
    CliRun missing = run("generate", "--model", "/no/such/dir", "--prompt", "x");
    assertThat(missing.err()).contains("model directory not found: /no/such/dir");
  }
}
