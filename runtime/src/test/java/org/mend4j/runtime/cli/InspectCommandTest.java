package org.mend4j.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mend4j.runtime.inspect.Finding;
import org.mend4j.runtime.inspect.Inspection;
import org.mend4j.runtime.inspect.Inspector;

/**
 * {@code mend4j inspect} on small services compiled here against the real DJL API: blocks of their
 * own with weights (each with the {@code layers} entry it needs), TorchScript loading in three
 * styles, HTTP handlers, a jar nested as Spring Boot nests them, and a jar with no model code. A
 * class whose static initializer would end the JVM shows that nothing is loaded.
 */
class InspectCommandTest {

  private static final Map<String, String> BLOCKS =
      Map.of(
          "fixture/blocks/Conv1D.java",
          """
          package fixture.blocks;
          import ai.djl.ndarray.*; import ai.djl.ndarray.types.Shape; import ai.djl.nn.*;
          import ai.djl.training.ParameterStore; import ai.djl.util.PairList;
          /** HF's Conv1D: y = x W, W stored [in, out]. */
          public class Conv1D extends AbstractBlock {
            private final Parameter weight;
            public Conv1D() {
              weight = addParameter(Parameter.builder().setName("weight")
                  .setType(Parameter.Type.WEIGHT).build());
            }
            @Override protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
              NDArray x = in.head();
              return new NDList(x.matMul(ps.getValue(weight, x.getDevice(), training)));
            }
            @Override public Shape[] getOutputShapes(Shape[] inputs) { return inputs; }
          }
          """,
          "fixture/blocks/Dense.java",
          """
          package fixture.blocks;
          import ai.djl.ndarray.*; import ai.djl.ndarray.types.Shape; import ai.djl.nn.*;
          import ai.djl.nn.core.Linear; import ai.djl.training.ParameterStore;
          import ai.djl.util.PairList;
          /** x W^T through Linear's static helper, W named "kernel". */
          public class Dense extends AbstractBlock {
            private final Parameter kernel;
            public Dense() {
              kernel = addParameter(Parameter.builder().setName("kernel")
                  .setType(Parameter.Type.WEIGHT).build());
            }
            @Override protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
              NDArray x = in.head();
              return Linear.linear(x, ps.getValue(kernel, x.getDevice(), training));
            }
            @Override public Shape[] getOutputShapes(Shape[] inputs) { return inputs; }
          }
          """,
          "fixture/blocks/Lookup.java",
          """
          package fixture.blocks;
          import ai.djl.ndarray.*; import ai.djl.ndarray.types.Shape; import ai.djl.nn.*;
          import ai.djl.training.ParameterStore; import ai.djl.util.PairList;
          /** An embedding table: a weight, but no product. */
          public class Lookup extends AbstractBlock {
            private final Parameter table;
            public Lookup() {
              table = addParameter(Parameter.builder().setName("table")
                  .setType(Parameter.Type.WEIGHT).build());
            }
            @Override protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
              NDArray ids = in.head();
              return new NDList(ps.getValue(table, ids.getDevice(), training).get(ids));
            }
            @Override public Shape[] getOutputShapes(Shape[] inputs) { return inputs; }
          }
          """,
          "fixture/blocks/Scaled.java",
          """
          package fixture.blocks;
          import ai.djl.nn.core.Linear;
          /** The host's own Linear, computing as Linear does. */
          public class Scaled extends Linear {
            public Scaled(Linear.Builder builder) { super(builder); }
          }
          """,
          "fixture/blocks/Bomb.java",
          """
          package fixture.blocks;
          /** Ends the JVM if it is ever initialised: the inspection must never load it. */
          public class Bomb extends Conv1D {
            static { System.exit(3); }
          }
          """);

  private static final Map<String, String> TORCHSCRIPT =
      Map.of(
          "fixture/ts/TracedGpt2.java",
          """
          package fixture.ts;
          import ai.djl.Model; import ai.djl.ndarray.NDList;
          import ai.djl.pytorch.engine.PtSymbolBlock; import ai.djl.repository.zoo.*;
          import java.nio.file.Path;
          /** Three ways a service loads a traced GPT-2. */
          public class TracedGpt2 {
            public ZooModel<NDList, NDList> byCriteria(Path dir) throws Exception {
              return Criteria.builder().setTypes(NDList.class, NDList.class)
                  .optModelPath(dir).optEngine("PyTorch").build().loadModel();
            }
            public Model byModelLoad(Path dir) throws Exception {
              Model model = Model.newInstance("gpt2");
              model.load(dir, "traced_gpt2.pt");
              return model;
            }
            public int parameters(Model model) {
              return ((PtSymbolBlock) model.getBlock()).getDirectParameters().size();
            }
          }
          """,
          "fixture/ts/Api.java",
          """
          package fixture.ts;
          import com.sun.net.httpserver.*;
          /** An HTTP entry point the agent scopes, and a lambda one. */
          public class Api implements HttpHandler {
            @Override public void handle(HttpExchange exchange) {}
            public static HttpHandler health() { return exchange -> {}; }
          }
          """);

  @TempDir Path tmp;

  @Test
  void findsProjectionBlocksWithTheLayersEntryEachNeeds() throws IOException {
    Inspection inspection = Inspector.inspect(List.of(jar("blocks.jar", BLOCKS)));

    print(inspection);
    assertThat(inspection.layerSpecs())
        .containsExactlyInAnyOrder(
            "fixture.blocks.Conv1D:weight:in_out", "fixture.blocks.Dense:kernel:out_in");
    // Bomb inherits Conv1D's forwardInternal: the agent covers it with Conv1D's entry
    assertThat(inspection.findings()).noneMatch(f -> f.className().equals("fixture.blocks.Bomb"));
    assertThat(inspection.of(Finding.Kind.PROJECTION))
        .filteredOn(f -> f.className().equals("fixture.blocks.Scaled"))
        .singleElement()
        .satisfies(f -> assertThat(f.layerSpec()).isNull());
    assertThat(inspection.of(Finding.Kind.WEIGHT_OWNER))
        .extracting(Finding::className)
        .containsExactly("fixture.blocks.Lookup");
    assertThat(inspection.agentArguments("/srv/edits"))
        .startsWith("edits=/srv/edits,layers=")
        .contains("fixture.blocks.Conv1D:weight:in_out", "fixture.blocks.Dense:kernel:out_in");
  }

  @Test
  void findsTorchScriptLoadingAndHttpEntryPointsInANestedJar() throws IOException {
    Path inner = jar("service.jar", TORCHSCRIPT);
    Path boot = tmp.resolve("boot.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(boot))) {
      out.putNextEntry(new JarEntry("BOOT-INF/lib/service.jar"));
      out.write(Files.readAllBytes(inner));
    }

    Inspection inspection = Inspector.inspect(List.of(boot));

    print(inspection);
    assertThat(inspection.of(Finding.Kind.TORCHSCRIPT))
        .extracting(Finding::where)
        .hasSize(3)
        .anyMatch(w -> w.contains("byCriteria"))
        .anyMatch(w -> w.contains("byModelLoad"))
        .anyMatch(w -> w.contains("parameters"));
    assertThat(inspection.of(Finding.Kind.TORCHSCRIPT).get(0).where())
        .contains("boot.jar!/BOOT-INF/lib/service.jar!/fixture/ts/TracedGpt2.class");
    assertThat(inspection.of(Finding.Kind.ENTRY_POINT))
        .extracting(Finding::className)
        .containsExactly("fixture.ts.Api");
    assertThat(inspection.of(Finding.Kind.OTHER_ENTRY_POINT))
        .singleElement()
        .satisfies(f -> assertThat(f.where()).contains("health"));
    assertThat(inspection.agentArguments("DIR")).isEqualTo("edits=DIR");
  }

  @Test
  void saysPlainlyWhenAJarHasNoModelCode() throws IOException {
    Path plain =
        jar(
            "plain.jar",
            Map.of(
                "fixture/plain/Hello.java",
                "package fixture.plain; public class Hello { public static void main(String[] a)"
                    + " { System.out.println(\"hello\"); } }"));

    CliRun run = CliRun.of("inspect", plain.toString());

    System.out.print(run.out());
    assertThat(run.status()).isZero();
    assertThat(run.out())
        .contains("read 1 classes")
        .contains("no model code")
        .contains("the agent has nothing to instrument here")
        .doesNotContain("agent arguments");
  }

  @Test
  void refusesAnInputThatIsNeitherAJarNorADirectory() throws IOException {
    Path text = Files.writeString(tmp.resolve("notes.txt"), "not a jar");

    CliRun missing = CliRun.of("inspect", tmp.resolve("missing.jar").toString());
    CliRun notJar = CliRun.of("inspect", text.toString());

    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("no such jar or directory").contains("missing.jar");
    assertThat(notJar.status()).isEqualTo(2);
    assertThat(notJar.err()).contains("notes.txt is not a jar or directory");
  }

  private static void print(Inspection inspection) {
    inspection.findings().forEach(f -> System.out.println(f));
  }

  /** Compiles sources against the test class path (DJL's API and engine) into a jar. */
  private Path jar(String name, Map<String, String> sources) throws IOException {
    Path src = tmp.resolve(name + "-src");
    Path classes = Files.createDirectories(tmp.resolve(name + "-classes"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "-g",
                "-classpath",
                System.getProperty("java.class.path"),
                "-d",
                classes.toString()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();
    Path jar = tmp.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> walk = Files.walk(classes)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(p));
      }
    }
    return jar;
  }
}
