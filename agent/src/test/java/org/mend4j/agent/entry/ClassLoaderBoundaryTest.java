package org.mend4j.agent.entry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mend4j.agent.djl.DjlHost;

/**
 * The rules that let the agent live in three kinds of class loader (see {@link AgentClassLoader}
 * and the {@code djl} package, defined per copy of DJL with the few runtime classes {@code
 * hook.DjlCopyLoader} lists), read off the compiled classes: a break of any of them shows only on a
 * host that loads DJL in its own class loader, or twice, as a {@code NoClassDefFoundError} or a
 * loader constraint violation in the host.
 */
class ClassLoaderBoundaryTest {

  private static final String AGENT = "org/mend4j/agent/";
  private static final String COPIED = AGENT + "djl/";
  private static final String ENTRY = AGENT + "entry/";
  private static final String DJL = "ai/djl/";

  /** Agent classes outside {@code djl} that may name DJL types, and why. */
  private static final Map<String, String> AGENT_DJL_USERS =
      Map.of(
          AGENT + "control/InProcessEditor",
          "computes edits with the first DJL the host loaded",
          AGENT + "control/ServedModel",
          "the model edits are computed on: views of the host's arrays of that first DJL (handed"
              + " over as Object by that copy only), or a loaded copy");

  private static final Map<String, ClassFacts> CLASSES = new TreeMap<>();

  /** The runtime's classes defined per copy too (hook.DjlCopyLoader's list), as internal names. */
  private static final Set<String> COPIED_CLASSES = new TreeSet<>();

  /** What one class names. */
  private record ClassFacts(Set<String> types, List<String> calls) {}

  @BeforeAll
  static void readClasses() throws Exception {
    Path root = Path.of(DjlHost.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = root.relativize(f).toString().replace('\\', '/').replace(".class", "");
        try (InputStream in = Files.newInputStream(f)) {
          CLASSES.put(name, read(in.readAllBytes()));
        }
      }
    }
    assertThat(CLASSES).containsKey(COPIED + "DjlHost").containsKey(ENTRY + "HostCalls");
    Field copied =
        Class.forName("org.mend4j.agent.hook.DjlCopyLoader").getDeclaredField("COPIED_CLASSES");
    copied.setAccessible(true);
    for (Object name : (Set<?>) copied.get(null)) {
      COPIED_CLASSES.add(name.toString().replace('.', '/'));
    }
    assertThat(COPIED_CLASSES).contains("org/mend4j/runtime/gpt2/FactorProducts");
  }

  /** Whether a class of this internal name is defined anew beside each copy of DJL. */
  private static boolean copied(String name) {
    return name.startsWith(COPIED) || COPIED_CLASSES.contains(name);
  }

  @Test
  void nothingOutsideTheCopiedPackageNamesItsClasses() {
    Map<String, Set<String>> offenders = new TreeMap<>();
    CLASSES.forEach(
        (name, facts) -> {
          if (!name.startsWith(COPIED)) {
            Set<String> named = matching(facts.types(), COPIED);
            if (!named.isEmpty()) {
              offenders.put(name, named);
            }
          }
        });
    assertThat(offenders)
        .as("classes defined once per JVM that name classes defined per copy of DJL")
        .isEmpty();
  }

  @Test
  void outsideTheCopiedPackageOnlyTheInProcessEditorNamesDjl() {
    Set<String> users = new TreeSet<>();
    CLASSES.forEach(
        (name, facts) -> {
          if (!name.startsWith(COPIED) && !matching(facts.types(), DJL).isEmpty()) {
            users.add(name.replaceAll("\\$.*", ""));
          }
        });
    assertThat(users).containsExactlyInAnyOrderElementsOf(AGENT_DJL_USERS.keySet());
  }

  @Test
  void theCopiedPackageNeverPassesDjlObjectsToClassesLoadedOnce() {
    List<String> offenders = new ArrayList<>();
    CLASSES.forEach(
        (name, facts) -> {
          if (name.startsWith(COPIED)) {
            facts.calls().stream()
                .filter(c -> c.startsWith("org/mend4j/") && !copied(c.replaceAll("\\..*", "")))
                .filter(c -> c.contains("L" + DJL))
                .forEach(c -> offenders.add(name + " -> " + c));
          }
        });
    assertThat(offenders)
        .as(
            "a copy's DJL objects handed to a class of the agent's loader, whose DJL is another"
                + " copy's: a loader constraint violation")
        .isEmpty();
  }

  @Test
  void theRuntimeClassesDefinedPerCopyNameNoOtherMend4jClass() throws Exception {
    Map<String, Set<String>> offenders = new TreeMap<>();
    for (String name : COPIED_CLASSES) {
      try (InputStream in = ClassLoader.getSystemResourceAsStream(name + ".class")) {
        assertThat(in).as(name).isNotNull();
        Set<String> named = matching(read(in.readAllBytes()).types(), "org/mend4j/");
        named.removeIf(ClassLoaderBoundaryTest::copied);
        if (!named.isEmpty()) {
          offenders.put(name, named);
        }
      }
    }
    assertThat(offenders)
        .as(
            "a class defined per copy that names a mend4j class defined once, whose DJL is the first"
                + " copy's")
        .isEmpty();
  }

  @Test
  void theEntryNamesOnlyTheJdkAndItself() {
    Map<String, Set<String>> offenders = new TreeMap<>();
    CLASSES.forEach(
        (name, facts) -> {
          if (name.startsWith(ENTRY)) {
            Set<String> foreign = new TreeSet<>(facts.types());
            foreign.removeIf(t -> t.startsWith("java/") || t.startsWith(ENTRY));
            if (!foreign.isEmpty()) {
              offenders.put(name, foreign);
            }
          }
        });
    assertThat(offenders)
        .as("the entry is loaded by the system and bootstrap class loaders, which see no more")
        .isEmpty();
  }

  private static Set<String> matching(Set<String> types, String prefix) {
    Set<String> m = new TreeSet<>();
    types.stream().filter(t -> t.startsWith(prefix)).forEach(m::add);
    return m;
  }

  private static ClassFacts read(byte[] bytes) {
    Set<String> types = new TreeSet<>();
    List<String> calls = new ArrayList<>();
    Remapper collect =
        new Remapper() {
          @Override
          public String map(String internalName) {
            types.add(internalName);
            return internalName;
          }
        };
    ClassVisitor calls0 =
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitMethodInsn(
                  int opcode, String owner, String method, String descriptor, boolean itf) {
                calls.add(owner + "." + method + descriptor);
              }

              @Override
              public void visitFieldInsn(int opcode, String owner, String field, String d) {
                calls.add(owner + "." + field + ":" + d);
              }
            };
          }
        };
    // nest and inner-class attributes name the enclosing class without using it: left out
    ClassVisitor types0 =
        new ClassRemapper(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String desc, String signature, String[] exceptions) {
                return calls0.visitMethod(access, name, desc, signature, exceptions);
              }
            },
            collect) {
          @Override
          public void visitInnerClass(String name, String outer, String inner, int access) {}

          @Override
          public void visitOuterClass(String owner, String name, String descriptor) {}

          @Override
          public void visitNestHost(String nestHost) {}

          @Override
          public void visitNestMember(String nestMember) {}
        };
    new ClassReader(bytes).accept(types0, 0);
    return new ClassFacts(types, calls);
  }
}
