package org.mend4j.demoapp;

import java.nio.file.Path;

/**
 * Command-line options of the service.
 *
 * @param model the GPT-2 checkpoint directory
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param threads the number of inference threads
 * @param help whether only the usage was asked for
 */
public record AppOptions(Path model, String host, int port, int threads, boolean help) {

  /** How to call the service. */
  public static final String USAGE =
      "usage: java -jar mend4j-demo-app.jar [--model DIR] [--host ADDR] [--port N] [--threads N]\n"
          + "  --model DIR    GPT-2 checkpoint: config.json, model.safetensors and tokenizer.json\n"
          + "                 (or vocab.json + merges.txt); default models/world-gpt2\n"
          + "  --host ADDR    address to listen on; default 127.0.0.1\n"
          + "  --port N       port to listen on, 0 for any free port; default 8080\n"
          + "  --threads N    inference threads; default the number of processors";

  /**
   * Parses the arguments.
   *
   * @param args the command line
   * @return the options
   * @throws IllegalArgumentException naming the argument that is wrong
   */
  public static AppOptions parse(String... args) {
    Path model = Path.of("models", "world-gpt2");
    String host = "127.0.0.1";
    int port = 8080;
    int threads = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return new AppOptions(model, host, port, threads, true);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + arg);
      }
      String value = args[++i];
      switch (arg) {
        case "--model":
          model = Path.of(value);
          break;
        case "--host":
          host = value;
          break;
        case "--port":
          port = intIn(arg, value, 0, 65535);
          break;
        case "--threads":
          threads = intIn(arg, value, 1, 1024);
          break;
        default:
          throw new IllegalArgumentException("unknown option: " + arg);
      }
    }
    return new AppOptions(model, host, port, threads, false);
  }

  private static int intIn(String option, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        option + " needs an integer in " + min + ".." + max + ", found: " + value);
  }
}
