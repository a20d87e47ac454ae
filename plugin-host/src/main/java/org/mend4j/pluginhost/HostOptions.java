package org.mend4j.pluginhost;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options of the host.
 *
 * @param model the model directory every copy serves
 * @param ports one port per plugin copy
 * @param pluginLib the directory of the plugin's jars
 * @param threads inference threads per copy, or 0 for the plugin's default
 */
public record HostOptions(Path model, List<Integer> ports, Path pluginLib, int threads) {

  /** How to call the host. */
  public static final String USAGE =
      "usage: java -jar mend4j-plugin-host.jar --ports=N1,N2[,...] [--model=DIR]"
          + " [--plugin-lib=DIR] [--threads=N]\n"
          + "  --ports=N1,N2     one copy of the plugin per port, each in its own class loader\n"
          + "  --model=DIR       the model every copy serves; default models/world-gpt2\n"
          + "  --plugin-lib=DIR  the plugin's jars; default plugin-lib beside the host's jar\n"
          + "  --threads=N       inference threads per copy; default the plugin's";

  /**
   * Parses the arguments.
   *
   * @param defaultPluginLib the plugin directory when {@code --plugin-lib} is not given
   * @param args the command line
   * @return the options
   * @throws IllegalArgumentException naming the argument that is wrong
   */
  public static HostOptions parse(Path defaultPluginLib, String... args) {
    Path model = Path.of("models", "world-gpt2");
    List<Integer> ports = List.of();
    Path pluginLib = defaultPluginLib;
    int threads = 0;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --option=value, found: " + arg);
      }
      String value = arg.substring(eq + 1);
      switch (arg.substring(0, eq)) {
        case "--model" -> model = Path.of(value);
        case "--ports" -> ports = ports(value);
        case "--plugin-lib" -> pluginLib = Path.of(value);
        case "--threads" -> threads = intIn("--threads", value, 1, 1024);
        default -> throw new IllegalArgumentException("unknown option: " + arg);
      }
    }
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("missing --ports=N1,N2: one port per plugin copy");
    }
    return new HostOptions(model, ports, pluginLib, threads);
  }

  private static List<Integer> ports(String csv) {
    List<Integer> ports = new ArrayList<>();
    for (String port : csv.split(",", -1)) {
      int p = intIn("--ports", port.trim(), 1, 65535);
      if (ports.contains(p)) {
        throw new IllegalArgumentException("--ports lists " + p + " twice: one port per copy");
      }
      ports.add(p);
    }
    return List.copyOf(ports);
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
        option + " needs integers in " + min + ".." + max + ", found: " + value);
  }
}
