package org.mend4j.runtime.cli;

import java.nio.file.Path;
import java.util.function.BiConsumer;
import picocli.CommandLine.Option;

/** The {@code --plot FILE.png} option of the benchmarks: their figures drawn as well as printed. */
final class PlotOption {

  @Option(
      names = "--plot",
      paramLabel = "FILE.png",
      description = "also draw the figures into this PNG")
  Path file;

  /** Draws {@code result} with {@code plot} if the option was given. */
  <T> void draw(T result, BiConsumer<T, Path> plot) {
    if (file != null) {
      plot.accept(result, file);
    }
  }
}
