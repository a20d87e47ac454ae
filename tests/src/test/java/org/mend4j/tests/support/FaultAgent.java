package org.mend4j.tests.support;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * A test-only Java agent that makes the mend4j agent's forward hook fail, so that forked-JVM tests
 * can show the hook fails open (the host's requests all succeed). It lives with the tests, not in
 * the agent: the agent has no switch for it. Run before the agent ({@code -javaagent:} of {@link
 * #jar} first), it rewrites the agent's classes as they load, in whichever class loader:
 *
 * <ul>
 *   <li>{@code hook}: the two places that apply an edit throw, the factored path ({@code
 *       ForwardApplier.apply(factors, x, y)}) and the merged fast path ({@code MergedWeight.in});
 *   <li>{@code merge}: only the merged fast path throws.
 * </ul>
 *
 * <p>Each rewritten class is reported on stderr ({@link #INJECTED}), so a test can check that the
 * fault reached the agent's code (a renamed method would otherwise leave the test proving nothing).
 */
public final class FaultAgent {

  /** The line the agent prints for each class it rewrites, followed by the class's name. */
  public static final String INJECTED = "[mend4j-test] fault injected into ";

  private static final String DJL = "org.mend4j.agent.djl.";

  private FaultAgent() {}

  /**
   * Installs the fault.
   *
   * @param mode {@code hook} or {@code merge}
   * @param inst the JVM's instrumentation
   */
  public static void premain(String mode, Instrumentation inst) {
    AgentBuilder builder =
        new AgentBuilder.Default()
            .with(new Report())
            .type(named(DJL + "MergedWeight"))
            .transform(failing(named("in").and(isStatic())));
    if ("hook".equals(mode)) {
      builder =
          builder
              .type(named(DJL + "ForwardApplier"))
              .transform(failing(named("apply").and(isStatic())));
    } else if (!"merge".equals(mode)) {
      throw new IllegalArgumentException("fault mode '" + mode + "' is not hook or merge");
    }
    builder.installOn(inst);
  }

  private static AgentBuilder.Transformer failing(
      ElementMatcher<? super MethodDescription> methods) {
    return (type, description, loader, module, domain) ->
        type.visit(Advice.to(Fail.class).on(methods));
  }

  /** Advice that throws before the method runs. */
  static final class Fail {
    private Fail() {}

    @Advice.OnMethodEnter
    static void enter() {
      throw new IllegalStateException("fault injected by the tests' FaultAgent");
    }
  }

  /** Reports every rewritten class and every failure to rewrite one. */
  static final class Report extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      System.err.println(INJECTED + type.getName());
    }

    @Override
    public void onError(
        String type, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      System.err.println("[mend4j-test] cannot inject a fault into " + type + ": " + error);
    }
  }

  /**
   * The {@code -javaagent:} argument that installs the fault, from a jar written into {@code dir}
   * (this class, from the test classes, and Byte Buddy beside it).
   *
   * @param dir a directory for the jar
   * @param mode {@code hook} or {@code merge}
   */
  public static String javaagent(Path dir, String mode) throws IOException {
    return "-javaagent:" + jar(dir) + "=" + mode;
  }

  /** Writes the agent's jar into {@code dir}. */
  static Path jar(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path byteBuddy = dir.resolve("byte-buddy.jar");
    Files.copy(codeSource(ByteBuddy.class), byteBuddy, StandardCopyOption.REPLACE_EXISTING);
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(new Attributes.Name("Premain-Class"), FaultAgent.class.getName());
    main.put(Attributes.Name.CLASS_PATH, byteBuddy.getFileName().toString());
    Path jar = dir.resolve("mend4j-test-faults.jar");
    String folder = FaultAgent.class.getPackageName().replace('.', '/') + "/";
    Path classes = codeSource(FaultAgent.class).resolve(folder);
    List<Path> own;
    try (Stream<Path> files = Files.list(classes)) {
      own =
          files
              .filter(f -> f.getFileName().toString().startsWith(FaultAgent.class.getSimpleName()))
              .toList();
    }
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
      for (Path file : own) {
        jarOut.putNextEntry(new JarEntry(folder + file.getFileName()));
        Files.copy(file, jarOut);
        jarOut.closeEntry();
      }
    }
    return jar;
  }

  private static Path codeSource(Class<?> type) throws IOException {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the classes of " + type.getName(), e);
    }
  }
}
