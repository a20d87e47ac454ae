package org.mend4j.tests.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.mend4j.tests.support.TestPaths;

/** Pins the shaded agent jar: what it contains and how the JVM loads it. */
class AgentJarTest {

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
            "Byte Buddy, gson, Jetty, SLF4J, the PostgreSQL driver and the runtime are bundled,"
                + " relocated")
        .contains(
            "org/mend4j/agent/entry/Mend4jAgent.class",
            "org/mend4j/agent/hook/LayerHooks.class",
            "org/mend4j/shaded/bytebuddy/agent/builder/AgentBuilder.class",
            "org/mend4j/shaded/gson/Gson.class",
            "org/mend4j/shaded/jetty/server/Server.class",
            "org/mend4j/shaded/slf4j/LoggerFactory.class",
            "org/mend4j/shaded/postgresql/Driver.class",
            "org/mend4j/shaded/runtime/edit/EditFile.class");
    assertThat(names)
        .as("the edit console's files, which the admin server reads from the jar")
        .contains(
            "org/mend4j/agent/console/index.html",
            "org/mend4j/agent/console/console.js",
            "org/mend4j/agent/console/console.css");
    assertThat(names)
        .as("nothing the agent leaves to the host or does not need")
        .noneMatch(n -> n.contains("picocli") || n.contains("jtokkit"))
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
