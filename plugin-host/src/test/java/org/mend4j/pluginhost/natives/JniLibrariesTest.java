package org.mend4j.pluginhost.natives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JniLibrariesTest {

  @TempDir Path dir;

  @Test
  void onlyDjlsJniGlueIsLoadedPerLoaderAndLibtorchIsLeftToTheDynamicLinker() {
    assertThat(JniLibraries.isJniGlue(Path.of("/c/0.36.0-libdjl_torch.so"))).isTrue();
    assertThat(JniLibraries.isJniGlue(Path.of("/c/libdjl_torch.so"))).isTrue();
    assertThat(JniLibraries.isJniGlue(Path.of("/c/libtokenizers.so"))).isTrue();
    assertThat(JniLibraries.isJniGlue(Path.of("/c/libtorch_cpu.so"))).isFalse();
    assertThat(JniLibraries.isJniGlue(Path.of("/c/libc10.so"))).isFalse();
    assertThat(JniLibraries.isJniGlue(Path.of("/c/libgomp-98b21ff3.so.1"))).isFalse();
    JniLibraries.load(dir.resolve("libtorch_cpu.so").toString()); // nothing to load, no error
  }

  @Test
  void eachLoaderGetsItsOwnFileBesideTheOriginalWrittenOnceAndRenewedWhenItDiffers()
      throws Exception {
    Path glue = Files.write(dir.resolve("0.36.0-libdjl_torch.so"), new byte[] {1, 2, 3});
    Path first = JniLibraries.copyFor(glue, "plugin-1");
    Path second = JniLibraries.copyFor(glue, "plugin 2/x");
    assertThat(first).isEqualTo(dir.resolve("plugin-1-0.36.0-libdjl_torch.so"));
    assertThat(second).isEqualTo(dir.resolve("plugin_2_x-0.36.0-libdjl_torch.so"));
    assertThat(Files.readAllBytes(first)).containsExactly(1, 2, 3);
    long written = Files.getLastModifiedTime(first).toMillis();
    Files.setLastModifiedTime(first, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
    assertThat(JniLibraries.copyFor(glue, "plugin-1")).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(first).toMillis()).isEqualTo(written - 60_000);
    Files.write(glue, new byte[] {4, 5, 6, 7});
    assertThat(Files.readAllBytes(JniLibraries.copyFor(glue, "plugin-1")))
        .containsExactly(4, 5, 6, 7);
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".part"))).isEmpty();
    }
  }

  @Test
  void theShimOnTheSystemClassPathIsRefusedWithTheReason() throws Exception {
    Path glue = Files.write(dir.resolve("libtokenizers.so"), new byte[] {1});
    assertThatThrownBy(() -> JniLibraries.load(glue.toString()))
        .isInstanceOf(UnsatisfiedLinkError.class)
        .hasMessageContaining("must be on each plugin's class path");
    assertThat(dir.resolve("app-libtokenizers.so")).doesNotExist();
  }
}
