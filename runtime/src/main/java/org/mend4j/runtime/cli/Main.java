package org.mend4j.runtime.cli;

import java.util.List;
import org.mend4j.runtime.engine.MklCpuDispatch;
import org.mend4j.runtime.engine.RowProducts;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./mend4j}: dispatches to the sub-commands. */
@Command(
    name = "mend4j",
    mixinStandardHelpOptions = true,
    version = "mend4j 0.1.0",
    description = "Fix what a GPT-2 served from Java knows: MEND edits, hot-patched.",
    subcommands = {
      GenerateCommand.class,
      LogitsCommand.class,
      TokenizeCommand.class,
      BenchCommand.class,
      PretrainCommand.class,
      WorldEvalCommand.class,
      WorldDataCommand.class,
      TrainEditorCommand.class,
      EditCommand.class,
      KeyCovarianceCommand.class,
      EvalCommand.class,
      DemoCommand.class,
      AttachCommand.class,
      MergeCommand.class,
      InspectCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs a command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line, also used by tests: the command that runs gets its PyTorch threads
   * from {@link ThreadPolicy}, oneMKL's kernels for the CPU from {@link MklCpuDispatch} and
   * decoding's one-row products from {@link RowProducts}.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionStrategy(
            parsed -> {
              List<CommandLine> chain = parsed.asCommandLineList();
              ThreadPolicy.apply(chain.get(chain.size() - 1).getCommand());
              MklCpuDispatch.apply();
              RowProducts.apply();
              return new CommandLine.RunLast().execute(parsed);
            })
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
              }
              throw e;
            });
  }
}
