package org.mend4j.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * oneMKL's CPU dispatch: loaded on this machine exactly when the policy says so (the session
 * applied it before the first test, {@link CliEngineSession}), and then the answer oneMKL binds to.
 */
class MklCpuDispatchTest {

  @TempDir Path dir;

  @Test
  void theLibraryIsLoadedExactlyWhenThisMachineNeedsItAndOneMklAsksIt() {
    Optional<String> skip = MklCpuDispatch.reasonToSkip();
    assertThat(MklCpuDispatch.apply()).isEqualTo(skip);
    assertThat(MklCpuDispatch.loaded()).isEqualTo(skip.isEmpty());
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] a = new float[64 * 64];
      for (int i = 0; i < a.length; i++) {
        a[i] = (i % 7) - 3;
      }
      NDArray m = manager.create(a, new Shape(64, 64));
      float[] product = m.matMul(m).toFloatArray();
      for (int check : new int[] {0, 777, 4095}) { // a product oneMKL computes, checked by hand
        int row = check / 64;
        int col = check % 64;
        double expected = 0;
        for (int k = 0; k < 64; k++) {
          expected += a[row * 64 + k] * a[k * 64 + col];
        }
        assertThat(product[check]).isCloseTo((float) expected, within(1e-3f));
      }
    }
    if (skip.isEmpty()) {
      assertThat(MklCpuDispatch.answered()).isPositive();
    }
  }

  @Test
  void theVendorIsTheFirstProcessorsVendorId() throws IOException {
    Path cpuinfo = dir.resolve("cpuinfo");
    Files.writeString(
        cpuinfo,
        "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n\n"
            + "processor\t: 1\nvendor_id\t: GenuineIntel\n");
    assertThat(MklCpuDispatch.cpuVendor(cpuinfo)).contains("AuthenticAMD");
    Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: something\n");
    assertThat(MklCpuDispatch.cpuVendor(cpuinfo)).isEmpty();
    assertThat(MklCpuDispatch.cpuVendor(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void theUserCanKeepOneMklsOwnDispatch() {
    String before = System.getProperty(MklCpuDispatch.PROPERTY);
    System.setProperty(MklCpuDispatch.PROPERTY, "false");
    try {
      assertThat(MklCpuDispatch.reasonToSkip()).contains(MklCpuDispatch.PROPERTY + "=false");
    } finally {
      if (before == null) {
        System.clearProperty(MklCpuDispatch.PROPERTY);
      } else {
        System.setProperty(MklCpuDispatch.PROPERTY, before);
      }
    }
  }
}
