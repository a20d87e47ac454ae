package org.mend4j.runtime.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lets the oneMKL inside libtorch use the kernels it has for the CPU's instruction set on a
 * processor that is not Intel's. It has to be applied before the engine's first product: the CLI
 * applies it before a command runs, with its thread policy ({@code -Dmend4j.mkl.cpu.dispatch=false}
 * turns it off); the agent only when asked to ({@code mkl.cpu.dispatch=true}), from {@code
 * premain}.
 *
 * <p>oneMKL takes its generic code path on any CPU whose vendor is not {@code GenuineIntel},
 * whatever the CPU's features. On an AMD EPYC (Zen 4, AVX-512), one core, that path multiplies
 * large float32 matrices at 98 to 101 GFLOP/s against 112 with the kernels for the CPU's features,
 * and reads weights in decoding's one-row products at 15 to 16 against 18 to 19 GB/s: {@code bench
 * gpt2} decoded GPT-2 small at 36 to 39 against 31 to 32 ms a token (interleaved runs, the README).
 * oneMKL asks one exported function which path to take; this class loads a small native library,
 * built with the runtime ({@code src/main/native/mkl_cpu_dispatch.c}), whose definition of that
 * function answers "dispatch on the features" and joins the process's global symbol scope, ahead of
 * libtorch's own. oneMKL then still chooses among its kernels by the CPU's features (it takes no
 * kernel the CPU cannot run).
 *
 * <p>A service running the agent keeps the path its own process takes unless its operator asks for
 * this one: the agent changes what the model computes, not how its host's libraries run.
 */
public final class MklCpuDispatch {

  /** The system property that turns it off with {@code false}. */
  public static final String PROPERTY = "mend4j.mkl.cpu.dispatch";

  private static final NativeLibrary LIBRARY =
      new NativeLibrary("libmend4j-mkl-cpu-dispatch.so", "oneMKL keeps its own CPU dispatch");

  private MklCpuDispatch() {}

  /**
   * Loads the library once per process if this is Linux on x86-64, the CPU is not Intel's and the
   * user did not turn it off; any failure is logged and leaves oneMKL as it was.
   *
   * @return why the library is not loaded ({@link #reasonToSkip}, or the failure), or empty once it
   *     is
   */
  public static Optional<String> apply() {
    return LIBRARY.loadUnless(MklCpuDispatch::reasonToSkip);
  }

  /** Whether this process loaded the library. */
  public static boolean loaded() {
    return LIBRARY.loaded();
  }

  /**
   * How many times oneMKL asked the loaded library which path to take: 0 after a product means it
   * bound to libtorch's own answer (the library was loaded too late).
   *
   * @throws IllegalStateException if the library is not loaded
   */
  public static int answered() {
    if (!loaded()) {
      throw new IllegalStateException(LIBRARY.name() + " is not loaded");
    }
    return answeredNative();
  }

  /** Why this process keeps oneMKL's own dispatch, or empty if it should not. */
  public static Optional<String> reasonToSkip() {
    Optional<String> skipped = NativeLibrary.reasonToSkip(PROPERTY);
    if (skipped.isPresent()) {
      return skipped;
    }
    Optional<String> vendor = cpuVendor(Path.of("/proc/cpuinfo"));
    if (vendor.isEmpty()) {
      return Optional.of("/proc/cpuinfo names no CPU vendor");
    }
    if (vendor.get().equals("GenuineIntel")) {
      return Optional.of("an Intel CPU, which oneMKL dispatches on its features already");
    }
    return Optional.empty();
  }

  /** The {@code vendor_id} of the first processor listed in {@code cpuinfo}, if any. */
  static Optional<String> cpuVendor(Path cpuinfo) {
    try (Stream<String> lines = Files.lines(cpuinfo, StandardCharsets.US_ASCII)) {
      return lines
          .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("vendor_id"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static native int answeredNative();
}
