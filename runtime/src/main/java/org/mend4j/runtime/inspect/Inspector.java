package org.mend4j.runtime.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Inspects a service's jars and class directories for what the agent could instrument, from the
 * class files alone (ASM; nothing is loaded or run): {@link BlockFinder}, {@link TorchScriptFinder}
 * and {@link EntryPointFinder} over every class that is not of a known library.
 */
public final class Inspector {

  /** Package prefixes of libraries: indexed for the type hierarchy, never reported. */
  private static final List<String> LIBRARIES =
      List.of(
          "ai/djl/",
          "com/google/",
          "com/fasterxml/",
          "com/knuddels/",
          "com/sun/",
          "org/slf4j/",
          "ch/qos/",
          "org/apache/",
          "org/eclipse/",
          "io/netty/",
          "org/springframework/",
          "org/jboss/",
          "javax/",
          "jakarta/",
          "kotlin/",
          "scala/",
          "net/bytebuddy/",
          "org/objectweb/",
          "org/mend4j/shaded/",
          "picocli/",
          "org/knowm/",
          "de/erichseifert/",
          "org/junit/",
          "org/assertj/",
          "sun/",
          "java/",
          "META-INF/");

  private Inspector() {}

  /**
   * Inspects jars and directories.
   *
   * @throws IllegalArgumentException naming an input that is neither a jar nor a directory
   */
  public static Inspection inspect(List<Path> inputs) {
    List<ClassFacts> all = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (ClassFiles.ClassFile f : ClassFiles.read(inputs)) {
      try {
        all.add(ClassScanner.scan(f.bytes(), f.source()));
      } catch (IllegalArgumentException e) {
        unreadable.add(f.source());
      }
    }
    Hierarchy hierarchy = new Hierarchy(all);
    BlockFinder blocks = new BlockFinder(hierarchy);
    TorchScriptFinder torchScript = new TorchScriptFinder(hierarchy);
    EntryPointFinder entryPoints = new EntryPointFinder(hierarchy);
    List<Finding> findings = new ArrayList<>();
    Set<String> libraries = new TreeSet<>();
    int libraryClasses = 0;
    for (ClassFacts c : hierarchy.classes().values()) {
      String library = library(c.name());
      if (library != null) {
        libraries.add(library);
        libraryClasses++;
        continue;
      }
      findings.addAll(blocks.find(c));
      findings.addAll(torchScript.find(c));
      findings.addAll(entryPoints.find(c));
    }
    findings.sort(Comparator.comparing(Finding::kind).thenComparing(Finding::className));
    return new Inspection(all.size(), libraryClasses, libraries, unreadable, findings);
  }

  /** The library's first two package names ({@code ai.djl}), or null for the service's own. */
  private static String library(String name) {
    for (String prefix : LIBRARIES) {
      if (name.startsWith(prefix)) {
        String[] parts = name.split("/");
        return parts.length > 2 ? parts[0] + "." + parts[1] : parts[0];
      }
    }
    return null;
  }
}
