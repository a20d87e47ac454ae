package org.mend4j.runtime.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the native libraries the runtime's build puts beside this package's classes ({@code
 * src/main/native}), loaded at most once per process: {@link System#load} needs a file, so the
 * library is copied out of the jar to a temporary file, loaded, and the file deleted (the process
 * keeps its mapping).
 */
final class NativeLibrary {

  private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);

  private final String name;
  private final String fallback;
  private volatile boolean loaded;

  /**
   * @param name the library's file name, a resource beside this class
   * @param fallback what the process does without it, for the log
   */
  NativeLibrary(String name, String fallback) {
    this.name = name;
    this.fallback = fallback;
  }

  /** The library's file name. */
  String name() {
    return name;
  }

  /**
   * Loads the library unless it is loaded or {@code reasonToSkip} gives a reason (logged at debug
   * level; asked only while the library is not loaded). A jar built without it is logged at debug
   * level too, a failure to load it as a warning, each after {@code fallback}.
   *
   * @return why it is not loaded, or empty once it is
   */
  synchronized Optional<String> loadUnless(Supplier<Optional<String>> reasonToSkip) {
    if (loaded) {
      return Optional.empty();
    }
    Optional<String> skipped = reasonToSkip.get();
    if (skipped.isPresent()) {
      LOG.debug("{}: {}", fallback, skipped.get());
      return skipped;
    }
    Optional<String> failed = load();
    loaded = failed.isEmpty();
    if (loaded) {
      LOG.debug("loaded {}", name);
    }
    return failed;
  }

  /** Whether this process loaded the library (read on every product that may use it: no lock). */
  boolean loaded() {
    return loaded;
  }

  /**
   * Why not to load a library here: {@code property} is {@code false}, or this is not Linux on
   * x86-64, the one platform the build makes the libraries for (libtorch ships for it here).
   */
  static Optional<String> reasonToSkip(String property) {
    if ("false".equalsIgnoreCase(System.getProperty(property, "true"))) {
      return Optional.of(property + "=false");
    }
    String os = System.getProperty("os.name", "");
    String arch = System.getProperty("os.arch", "");
    if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      return Optional.of(
          "the native libraries are built for Linux x86-64 only, not " + os + " " + arch);
    }
    return Optional.empty();
  }

  private Optional<String> load() {
    try (InputStream in = NativeLibrary.class.getResourceAsStream(name)) {
      if (in == null) {
        LOG.debug("{}: {} was not built into this jar", fallback, name);
        return Optional.of(name + " was not built into this jar");
      }
      Path file = Files.createTempFile(name.replace(".so", "-"), ".so");
      try {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        System.load(file.toAbsolutePath().toString());
      } finally {
        Files.delete(file);
      }
      return Optional.empty();
    } catch (IOException | UnsatisfiedLinkError e) {
      LOG.warn("{}: {} could not be loaded ({})", fallback, name, e.toString());
      return Optional.of(name + " could not be loaded (" + e + ")");
    }
  }
}
