package org.mend4j.runtime.mend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.gpt2.Gpt2Model;
import org.mend4j.runtime.gpt2.Gpt2Names;
import org.mend4j.runtime.gpt2.HostCopy;
import org.mend4j.runtime.safetensors.SafeTensorsFile;
import org.mend4j.runtime.testing.TestModels;

/**
 * The statistics estimated on the tiny model: whitening is the product with the inverse that the
 * file holds, and the statistics read back from their file whiten exactly as before.
 */
class KeyCovarianceTest {

  private static final List<String> INNER =
      List.of(Gpt2Names.block(1, "mlp.c_fc.weight"), Gpt2Names.block(1, "mlp.c_proj.weight"));

  @TempDir Path dir;
  private NDManager manager;
  private KeyCovariance stats;

  @BeforeEach
  void estimate() throws IOException {
    manager = NDManager.newBaseManager();
    Gpt2Model model =
        Gpt2Model.load(
            TestModels.tinyWithTokenizer(Files.createDirectory(dir.resolve("model"))), manager);
    stats =
        KeyCovariance.estimate(
            model,
            INNER,
            List.of("The capital of France is Paris.", "Water boils at one hundred degrees."),
            KeyCovariance.Positions.ALL,
            0.1,
            4f,
            0f);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void whiteningIsTheProductWithTheSavedInverse() {
    stats.save(dir);
    SafeTensorsFile file = SafeTensorsFile.open(dir.resolve(KeyCovariance.FILE));
    for (String name : INNER) {
      float[] inverse = file.floats(name + ".inverse_covariance");
      int in = (int) Math.round(Math.sqrt(inverse.length));
      int rows = 3;
      float[] keys = gaussian(rows * in, name.hashCode());
      float[] whitened =
          HostCopy.floats(stats.whiten(name, manager.create(keys, new Shape(rows, in))));
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < in; j++) {
          double expected = 0;
          double scale = 0;
          for (int i = 0; i < in; i++) {
            expected += (double) keys[r * in + i] * inverse[i * in + j];
            scale += Math.abs((double) keys[r * in + i] * inverse[i * in + j]);
          }
          assertThat((double) whitened[r * in + j])
              .as("%s row %d column %d", name, r, j)
              .isCloseTo(expected, within(1e-5 * scale + 1e-30));
        }
      }
    }
  }

  @Test
  void statisticsReadBackWhitenAsBefore() {
    stats.save(dir);
    KeyCovariance back = KeyCovariance.load(dir, INNER).orElseThrow();
    assertThat(back.lambda()).isEqualTo(4f);
    assertThat(back.description()).isEqualTo(stats.description());
    SafeTensorsFile file = SafeTensorsFile.open(dir.resolve(KeyCovariance.FILE));
    for (String name : INNER) {
      assertThat(back.covers(name)).isTrue();
      int in = (int) file.info(name + ".inverse_covariance").shape()[0];
      NDArray keys = manager.create(gaussian(2 * in, 7), new Shape(2, in));
      assertThat(HostCopy.floats(back.whiten(name, keys)))
          .containsExactly(HostCopy.floats(stats.whiten(name, keys)));
    }
  }

  private static float[] gaussian(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
