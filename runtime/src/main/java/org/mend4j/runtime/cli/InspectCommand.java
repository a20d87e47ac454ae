package org.mend4j.runtime.cli;

import java.nio.file.Path;
import java.util.List;
import org.mend4j.runtime.inspect.Finding;
import org.mend4j.runtime.inspect.Inspection;
import org.mend4j.runtime.inspect.Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mend4j inspect}: what the agent could instrument in a service, from its class files. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Read a service's class files (jars, nested jars, class directories) with ASM, without"
          + " loading or running them, and report what the agent can instrument: DJL blocks with"
          + " weights and how they compute, TorchScript loading sites, HTTP entry points; then the"
          + " agent arguments to use."
    })
final class InspectCommand implements Runnable {

  @Parameters(
      paramLabel = "JAR|DIR",
      arity = "1..*",
      description = "the service's jars or class directories")
  List<Path> inputs;

  @Option(
      names = "--edits",
      paramLabel = "DIR",
      defaultValue = "DIR",
      description = "the edits directory to name in the printed agent arguments")
  String edits;

  @Override
  public void run() {
    Inspection inspection = Inspector.inspect(inputs);
    System.out.printf(
        "read %d classes (%d of libraries, not reported: %s)%n",
        inspection.classesRead(),
        inspection.libraryClasses(),
        inspection.libraries().isEmpty() ? "none" : String.join(", ", inspection.libraries()));
    if (!inspection.unreadable().isEmpty()) {
      System.out.printf(
          "skipped %d class files ASM cannot parse, first %s%n",
          inspection.unreadable().size(), inspection.unreadable().get(0));
    }
    section(
        inspection, "DJL blocks with weights", Finding.Kind.PROJECTION, Finding.Kind.WEIGHT_OWNER);
    section(inspection, "TorchScript loading sites", Finding.Kind.TORCHSCRIPT);
    section(
        inspection, "HTTP entry points", Finding.Kind.ENTRY_POINT, Finding.Kind.OTHER_ENTRY_POINT);
    System.out.println();
    String args = inspection.agentArguments(edits);
    if (!inspection.hasModelCode()) {
      System.out.println(
          "no model code: no DJL block with weights and no TorchScript loading in these classes;"
              + " the agent has nothing to instrument here");
      return;
    }
    if (args == null) {
      System.out.println(
          "nothing the agent can instrument: the blocks with weights found are not projections");
      return;
    }
    System.out.println("agent arguments: " + args);
    System.out.println(
        inspection.layerSpecs().isEmpty()
            ? "  (no layers= needed: every projection found is a DJL Linear, instrumented by"
                + " default)"
            : "  (layers= names the projection blocks of the service's own; DJL's Linear is always"
                + " instrumented)");
    System.out.println(
        "  java -javaagent:agent/target/mend4j-agent.jar=" + args + " -jar SERVICE.jar ...");
    if (!inspection.of(Finding.Kind.ENTRY_POINT).isEmpty()) {
      System.out.println(
          "  add variants.header=true to let a request choose its variant with X-Mend4j-Variant"
              + " (off by default: any client of the service could send it; agent/README.md)");
    }
    if (!inspection.of(Finding.Kind.TORCHSCRIPT).isEmpty()) {
      System.out.println(
          "  TorchScript: no layers= needed for it either: the agent binds edits to the traced"
              + " module's weights by fingerprint and changes them in place (torchscript=true,"
              + " the default); start the service with -javaagent, not ./mend4j attach (a module"
              + " loaded before the agent holds weights libtorch will not change); agent/README.md,"
              + " \"TorchScript hosts\"");
    }
  }

  private static void section(Inspection inspection, String title, Finding.Kind... kinds) {
    System.out.println();
    System.out.println(title);
    int shown = 0;
    for (Finding.Kind kind : kinds) {
      for (Finding f : inspection.of(kind)) {
        System.out.printf("  %s: %s%n      %s%n", f.className(), f.how(), f.where());
        shown++;
      }
    }
    if (shown == 0) {
      System.out.println("  none");
    }
  }
}
