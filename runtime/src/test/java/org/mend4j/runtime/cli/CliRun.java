package org.mend4j.runtime.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One {@code mend4j} command line run in-process, as {@code ./mend4j} runs it, with its status and
 * output.
 *
 * @param status the exit status
 * @param out standard output
 * @param err standard error (picocli's error writer)
 */
record CliRun(int status, String out, String err) {

  static CliRun of(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      CommandLine cli = Main.commandLine();
      cli.setErr(new PrintWriter(err, true));
      int status = cli.execute(args);
      return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(original);
    }
  }
}
