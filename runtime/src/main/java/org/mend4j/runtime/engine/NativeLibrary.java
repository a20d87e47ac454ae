package org.mend4j.runtime.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one of the native libraries the runtime's build puts beside this package's classes ({@code
 * src/main/native}): {@link System#load} needs a file, so the library is copied out of the jar to a
 * temporary file, loaded, and the file deleted (the process keeps its mapping).
 */
final class NativeLibrary {

  private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);

  private NativeLibrary() {}

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

  /**
   * Loads {@code name} (a resource beside this class). A jar built without it is logged at debug
   * level, a failure to load it as a warning, each as {@code fallback} followed by the reason.
   *
   * @return why it is not loaded, or empty once it is
   */
  static Optional<String> load(String name, String fallback) {
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
