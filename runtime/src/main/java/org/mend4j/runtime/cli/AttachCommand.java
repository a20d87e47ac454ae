package org.mend4j.runtime.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mend4j attach PID [KEY=VALUE ...]}: loads the mend4j agent into a running JVM with the
 * JDK's attach API. The agent retransforms the DJL classes already loaded; its admin API (with
 * {@code admin.port=N}) then works as if it had been there from the start.
 */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description =
        "Load the mend4j agent into a running JVM (JDK attach API). Agent arguments as for"
            + " -javaagent, e.g. admin.port=9400 admin.token=T model=DIR editor=DIR edits=DIR.")
final class AttachCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "PID", description = "process id of the target JVM")
  String pid;

  @Parameters(
      index = "1..*",
      paramLabel = "KEY=VALUE",
      description = "agent arguments (each may also hold several, comma-separated)")
  List<String> agentArgs = new ArrayList<>();

  @Option(
      names = "--agent-jar",
      paramLabel = "JAR",
      description = "the agent jar (default: agent/target/mend4j-agent.jar under mend4j.home)")
  Path agentJar;

  @Override
  public Integer call() {
    if (!pid.matches("\\d+")) {
      throw new IllegalArgumentException("PID must be a process id (digits), found: " + pid);
    }
    for (String arg : agentArgs) {
      for (String item : arg.split(",")) {
        if (!item.isBlank() && item.indexOf('=') <= 0) {
          throw new IllegalArgumentException("agent argument '" + item + "' is not KEY=VALUE");
        }
      }
    }
    Path jar = agentJar != null ? agentJar : defaultJar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "agent jar " + jar + " is missing (./mend4j attach builds it; or pass --agent-jar)");
    }
    String options = String.join(",", agentArgs);
    try {
      VirtualMachine vm = VirtualMachine.attach(pid);
      try {
        vm.loadAgent(jar.toAbsolutePath().toString(), options.isEmpty() ? null : options);
      } finally {
        vm.detach();
      }
    } catch (AttachNotSupportedException e) {
      throw new IllegalStateException(
          "cannot attach to JVM " + pid + " (no such JVM of this user?): " + e.getMessage(), e);
    } catch (AgentLoadException | AgentInitializationException e) {
      throw new IllegalStateException("JVM " + pid + " refused the agent: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("attaching to JVM " + pid + " failed: " + e, e);
    }
    System.out.println(
        "mend4j agent loaded into JVM "
            + pid
            + (options.isEmpty() ? "" : " with " + redact(options))
            + "; its log lines ([mend4j] ...) go to that JVM's standard error");
    return 0;
  }

  private static Path defaultJar() {
    Path home = Path.of(System.getProperty("mend4j.home", ".")).toAbsolutePath().normalize();
    return home.resolve("agent/target/mend4j-agent.jar");
  }

  /** The options with the token's value hidden. */
  static String redact(String options) {
    return options.replaceAll("(admin\\.token=)[^,]*", "$1***");
  }
}
