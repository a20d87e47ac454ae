package org.mend4j.tests.support;

import java.nio.file.Path;

/**
 * Where the end-to-end tests find the repository and its built artifacts.
 *
 * <p>Surefire passes the locations as system properties (see tests/pom.xml); the fallbacks hold
 * when a test runs from the {@code tests/} directory in an IDE.
 */
public final class TestPaths {

  private TestPaths() {}

  /** The repository's root directory. */
  public static Path repoRoot() {
    return Path.of(System.getProperty("mend4j.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** The runnable demo-app jar, built by demo-app's {@code package} phase. */
  public static Path demoAppJar() {
    return artifact("mend4j.demoapp.jar", "demo-app/target/mend4j-demo-app.jar");
  }

  /** The Spring Boot host's executable jar, built by spring-app's {@code package} phase. */
  public static Path springAppJar() {
    return artifact("mend4j.springapp.jar", "spring-app/target/mend4j-spring-app.jar");
  }

  /** The plugin host's jar (its plugin's jars in {@code plugin-lib/} beside it). */
  public static Path pluginHostJar() {
    return artifact("mend4j.pluginhost.jar", "plugin-host/target/mend4j-plugin-host.jar");
  }

  /** The shaded agent jar, built by the agent's {@code package} phase. */
  public static Path agentJar() {
    return artifact("mend4j.agent.jar", "agent/target/mend4j-agent.jar");
  }

  /** The directory of this module's compiled test classes (for small forked hosts). */
  public static Path testClasses() {
    return target().resolve("test-classes");
  }

  /** This module's build directory, for logs and generated models. */
  public static Path target() {
    return Path.of(System.getProperty("mend4j.tests.target", "target")).toAbsolutePath();
  }

  /** The tiny-random-gpt2 oracle model (no tokenizer; vocabulary 1000). */
  public static Path referenceModel() {
    return repoRoot().resolve("data/reference/tiny-random-gpt2");
  }

  /** The bpe-1000 tokenizer fixture, whose ids fit the reference model. */
  public static Path tokenizerFixture() {
    return repoRoot().resolve("data/fixtures/bpe-1000");
  }

  private static Path artifact(String property, String fallback) {
    String jar = System.getProperty(property);
    return jar != null ? Path.of(jar).toAbsolutePath().normalize() : repoRoot().resolve(fallback);
  }
}
