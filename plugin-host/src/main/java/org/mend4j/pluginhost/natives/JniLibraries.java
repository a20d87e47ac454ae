package org.mend4j.pluginhost.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * Loads DJL's native libraries for a plugin class loader, so that several plugins, each with its
 * own copy of DJL, run in one JVM. DJL hands every library it would {@code System.load} to the
 * class named by the system properties {@code ai.djl.pytorch.native_helper} and {@code
 * ai.djl.huggingface.native_helper}, resolved through the thread's context class loader; the host
 * names this class and sets each plugin's loader as the context while the plugin starts, so every
 * plugin calls its own copy of this class, defined by its own loader.
 *
 * <p>Two rules of the JVM and one of libtorch decide what this class does:
 *
 * <ul>
 *   <li>a library file is bound to the one class loader whose class loaded it: the same path from a
 *       second loader fails with "already loaded in another classloader";
 *   <li>a class's native methods are looked up only in the libraries of its own loader, and DJL's
 *       JNI glue caches its loader's classes when it is loaded ({@code JNI_OnLoad}), so each plugin
 *       needs a glue library of its own: a separate file, since the dynamic linker maps one file
 *       once per process;
 *   <li>libtorch itself must be in the process once: a second copy registers its operators again
 *       into the first one's dispatcher and aborts the JVM ("Tried to register multiple backend
 *       fallbacks for the same dispatch key").
 * </ul>
 *
 * <p>So the JNI glue ({@code libdjl_torch}, {@code libtokenizers}) is copied to a file named after
 * the plugin's loader beside the original and loaded from there, by this class, hence for this
 * loader. libtorch's own libraries are not loaded through the JVM at all: the glue names them as
 * dependencies (ELF {@code NEEDED}, found through its {@code RUNPATH $ORIGIN}, which is why the
 * copy sits beside the original), and the dynamic linker loads them with the first plugin's glue
 * and shares them with every later one.
 */
public final class JniLibraries {

  /** The libraries whose native methods belong to DJL's classes, hence to one loader each. */
  private static final Set<String> JNI_GLUE =
      Set.of(System.mapLibraryName("djl_torch"), System.mapLibraryName("tokenizers"));

  private JniLibraries() {}

  /**
   * Loads a library DJL asks for, as described in the class comment.
   *
   * @param path the library DJL extracted or found
   * @throws UnsatisfiedLinkError if this class is defined by the system class loader or a loader
   *     without a name rather than by a plugin's own loader, or the plugin's copy of the library
   *     cannot be written or loaded
   */
  public static void load(String path) {
    Path library = Path.of(path);
    if (!isJniGlue(library)) {
      return; // a dependency of the glue: the dynamic linker loads it once for the process
    }
    ClassLoader own = JniLibraries.class.getClassLoader();
    String loader = own.getName();
    if (loader == null || own == ClassLoader.getSystemClassLoader()) {
      throw new UnsatisfiedLinkError(
          JniLibraries.class.getName()
              + " must be on each plugin's class path, defined by a plugin class loader with a"
              + " name, not shared; it was defined by "
              + own);
    }
    try {
      System.load(copyFor(library, loader).toString());
    } catch (IOException e) {
      throw new UnsatisfiedLinkError(
          "cannot copy " + library + " for the plugin class loader '" + loader + "': " + e);
    }
  }

  /** Whether a library has JNI methods of DJL's classes (the rest are libtorch's own). */
  static boolean isJniGlue(Path library) {
    String name = library.getFileName().toString();
    return JNI_GLUE.stream().anyMatch(name::endsWith);
  }

  /**
   * The loader's copy of a library, {@code LOADER-NAME} beside it: written once (atomically, so a
   * concurrent JVM never maps a half-written file), reused while it has the original's size.
   */
  static Path copyFor(Path library, String loader) throws IOException {
    Path copy =
        library.resolveSibling(
            loader.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + library.getFileName());
    if (Files.isRegularFile(copy) && Files.size(copy) == Files.size(library)) {
      return copy;
    }
    Path partial =
        Files.createTempFile(library.getParent(), copy.getFileName().toString(), ".part");
    try {
      Files.copy(library, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    return copy;
  }
}
