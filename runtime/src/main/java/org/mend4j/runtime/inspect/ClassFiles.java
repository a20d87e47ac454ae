package org.mend4j.runtime.inspect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Every class file of the inputs a user names: jars (and the jars nested in them, as Spring Boot's
 * {@code BOOT-INF/lib/} and a war's {@code WEB-INF/lib/} hold them) and directories (their class
 * files and jars, recursively). Bytes only: nothing is put on a class path.
 */
final class ClassFiles {

  /** One class file and where it came from. */
  record ClassFile(String source, byte[] bytes) {}

  private ClassFiles() {}

  /**
   * The class files of {@code inputs}.
   *
   * @throws IllegalArgumentException naming an input that does not exist or is not a jar
   */
  static List<ClassFile> read(List<Path> inputs) {
    List<ClassFile> out = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        readDirectory(input, out);
      } else if (Files.isRegularFile(input)) {
        readJar(input, out);
      } else {
        throw new IllegalArgumentException("no such jar or directory: " + input);
      }
    }
    return out;
  }

  private static void readDirectory(Path dir, List<ClassFile> out) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".class")) {
          out.add(new ClassFile(p.toString(), Files.readAllBytes(p)));
        } else if (isArchive(name)) {
          readJar(p, out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
  }

  private static void readJar(Path jar, List<ClassFile> out) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String source = jar + "!/" + e.getName();
        if (e.getName().endsWith(".class")) {
          try (InputStream in = zip.getInputStream(e)) {
            out.add(new ClassFile(source, in.readAllBytes()));
          }
        } else if (isArchive(e.getName())) {
          try (InputStream in = zip.getInputStream(e)) {
            readNested(source, in.readAllBytes(), out);
          }
        }
      }
    } catch (ZipException e) {
      throw new IllegalArgumentException(
          jar + " is not a jar or directory (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
  }

  private static void readNested(String source, byte[] jar, List<ClassFile> out)
      throws IOException {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().endsWith(".class")) {
          out.add(new ClassFile(source + "!/" + e.getName(), zip.readAllBytes()));
        } else if (isArchive(e.getName())) {
          readNested(source + "!/" + e.getName(), zip.readAllBytes(), out);
        }
      }
    }
  }

  private static boolean isArchive(String name) {
    return name.endsWith(".jar") || name.endsWith(".war");
  }
}
