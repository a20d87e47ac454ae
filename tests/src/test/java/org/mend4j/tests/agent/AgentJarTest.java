package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mend4j.tests.support.TestPaths;
import org.objectweb.asm.ClassReader;

/** Pins the shaded agent jar: what it contains and how the JVM loads it. */
class AgentJarTest {

  private static final int CONSTANT_UTF8 = 1;
  private static final int CONSTANT_CLASS = 7;
  private static final Pattern OBJECT_TYPE = Pattern.compile("L(org/mend4j/[\\w/$]+);");

  @Test
  void holdsOnlyOrgMend4jAndMetaInf() throws IOException {
    List<String> names = entries();
    List<String> outside = new ArrayList<>();
    for (String name : names) {
      if (!name.startsWith("org/mend4j/")
          && !name.startsWith("META-INF/")
          && !name.equals("org/")) {
        outside.add(name);
      }
    }
    assertThat(outside).as("entries outside org/mend4j/ and META-INF/").isEmpty();
    assertThat(names)
        .as(
            "Byte Buddy, gson, Jetty, SLF4J, the PostgreSQL driver, jtokkit and the runtime are"
                + " bundled, relocated")
        .contains(
            "org/mend4j/agent/entry/Mend4jAgent.class",
            "org/mend4j/agent/hook/LayerHooks.class",
            "org/mend4j/shaded/bytebuddy/agent/builder/AgentBuilder.class",
            "org/mend4j/shaded/gson/Gson.class",
            "org/mend4j/shaded/jetty/server/Server.class",
            "org/mend4j/shaded/slf4j/LoggerFactory.class",
            "org/mend4j/shaded/postgresql/Driver.class",
            "org/mend4j/shaded/jtokkit/Encodings.class",
            "org/mend4j/shaded/jtokkit/r50k_base.tiktoken",
            "org/mend4j/shaded/runtime/edit/EditFile.class");
    assertThat(names)
        .as("the edit console's files, which the admin server reads from the jar")
        .contains(
            "org/mend4j/agent/console/index.html",
            "org/mend4j/agent/console/console.js",
            "org/mend4j/agent/console/console.css");
    assertThat(names)
        .as("nothing the agent leaves to the host or does not need")
        .noneMatch(n -> n.contains("picocli") || n.contains("com/knuddels"))
        .noneMatch(n -> n.endsWith(".tiktoken") && !n.endsWith("/r50k_base.tiktoken"))
        .noneMatch(
            n ->
                n.contains("slf4j")
                    && !n.contains("org/mend4j/shaded/slf4j/")
                    && !n.startsWith("META-INF/services/org.mend4j.shaded.slf4j."))
        .noneMatch(n -> n.contains("ai/djl/") || n.startsWith("org/mend4j/runtime/"))
        .noneMatch(n -> n.startsWith("org/postgresql/") || n.contains("checkerframework"))
        .noneMatch(n -> n.startsWith("org/mend4j/shaded/runtime/cli/"))
        .as("service files only for the agent's own relocated interfaces, which no host looks up")
        .noneMatch(
            n ->
                n.startsWith("META-INF/services/")
                    && n.length() > "META-INF/services/".length()
                    && !n.startsWith("META-INF/services/org.mend4j.shaded."));
  }

  /**
   * The agent bundles only the part of the runtime library it uses (the shade filters leave out
   * training, evaluation, the world's generation, the CLI and the demo), and the libraries that
   * part uses; this fails when a filter leaves out a class something of ours in the jar names, or a
   * library it names is not bundled (the host has only the JDK and DJL to offer).
   */
  @Test
  void everyClassOfOursThatTheJarNamesIsInTheJar() throws IOException {
    Set<String> entries = new HashSet<>(entries());
    Map<String, String> missing = new TreeMap<>();
    try (JarFile jar = new JarFile(TestPaths.agentJar().toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (!ours(name) || !name.endsWith(".class")) {
          continue;
        }
        try (InputStream in = jar.getInputStream(entry)) {
          for (String named : namedClasses(in.readAllBytes())) {
            if (!fromTheHost(named) && !entries.contains(named + ".class")) {
              missing.putIfAbsent(named, name);
            }
          }
        }
      }
    }
    assertThat(missing).as("classes named in the jar (-> by whom) but left out of it").isEmpty();
    assertThat(entries)
        .as("what only the CLI, training and evaluation use")
        .noneMatch(
            n ->
                n.matches(
                        "org/mend4j/shaded/runtime/(cli|demo|service|bench|merge|inspect|eval|world|plot|data)/.*")
                    || n.startsWith("org/mend4j/shaded/runtime/mend/EditorTraining")
                    || n.startsWith("org/mend4j/shaded/runtime/mend/MendTrainer")
                    || n.startsWith("org/mend4j/shaded/runtime/train/Adam")
                    || n.startsWith("org/mend4j/shaded/runtime/train/LmTrainer"))
        .contains(
            "org/mend4j/shaded/runtime/mend/MendEdits.class",
            "org/mend4j/shaded/runtime/train/TokenLoss.class");
  }

  /**
   * Whether a class our classes name comes from the host: the JDK's, DJL's, or the servlet API a
   * servlet host's requests are seen through. Any other class they name must be in the jar (a
   * library the runtime uses, bundled relocated).
   */
  private static boolean fromTheHost(String name) {
    return name.startsWith("java/")
        || name.startsWith("javax/")
        || name.startsWith("jdk/")
        || name.startsWith("sun/")
        || name.startsWith("com/sun/")
        || name.startsWith("ai/djl/")
        || name.startsWith("jakarta/servlet/");
  }

  /**
   * The agent's classes and the runtime's (not the bundled libraries', with their optional parts).
   */
  private static boolean ours(String name) {
    return name.startsWith("org/mend4j/agent/") || name.startsWith("org/mend4j/shaded/runtime/");
  }

  /**
   * Every class a class file names: the classes of its constant pool and the object types in its
   * descriptors and signatures (all held as UTF-8 constants).
   */
  private static Set<String> namedClasses(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    Set<String> named = new HashSet<>();
    char[] buffer = new char[reader.getMaxStringLength()];
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      if (offset == 0) {
        continue; // the second slot of a long or double
      }
      int tag = reader.readByte(offset - 1);
      if (tag == CONSTANT_CLASS) {
        named.add(reader.readUTF8(offset, buffer));
      } else if (tag == CONSTANT_UTF8) {
        String text =
            new String(
                classFile,
                offset + 2,
                reader.readUnsignedShort(offset),
                StandardCharsets.ISO_8859_1);
        OBJECT_TYPE.matcher(text).results().forEach(m -> named.add(m.group(1)));
      }
    }
    named.removeIf(n -> n.startsWith("["));
    return named;
  }

  @Test
  void manifestMakesItAnAgentThatCanRetransform() throws IOException {
    try (JarFile jar = new JarFile(TestPaths.agentJar().toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Premain-Class")).isEqualTo("org.mend4j.agent.entry.Mend4jAgent");
      assertThat(main.getValue("Agent-Class")).isEqualTo("org.mend4j.agent.entry.Mend4jAgent");
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
      assertThat(main.getValue("Can-Redefine-Classes")).isEqualTo("true");
    }
  }

  private static List<String> entries() throws IOException {
    try (JarFile jar = new JarFile(TestPaths.agentJar().toFile())) {
      return Collections.list(jar.entries()).stream().map(e -> e.getName()).toList();
    }
  }
}
