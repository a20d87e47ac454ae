package org.mend4j.pluginhost;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host's entry point: {@code java -jar mend4j-plugin-host.jar --model=DIR --ports=N1,N2} starts
 * one copy of the plugin (demo-app, in {@code plugin-lib/}) per port, each in its own class loader,
 * one after another, and serves until the process is stopped.
 *
 * <p>The host names its native-library shim as DJL's native helper for every copy (see {@link
 * org.mend4j.pluginhost.natives.JniLibraries}); without it the second copy fails with "Native
 * Library .../libc10.so already loaded in another classloader".
 */
public final class PluginHost {

  private static final String SHIM = "org.mend4j.pluginhost.natives.JniLibraries";

  private PluginHost() {}

  /**
   * Runs the host.
   *
   * @param args see {@link HostOptions#USAGE}
   */
  public static void main(String[] args) {
    HostOptions options;
    try {
      options = HostOptions.parse(defaultPluginLib(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("plugin-host: " + e.getMessage() + "\n" + HostOptions.USAGE);
      System.exit(2);
      return;
    }
    // JVM-wide, the same for every copy: DJL stays offline and loads natives through the shim.
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("ai.djl.pytorch.native_helper", SHIM);
    setIfAbsent("ai.djl.huggingface.native_helper", SHIM);
    List<PluginCopy> copies = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(copies), "plugin-host-shutdown"));
    try {
      URL[] jars = jars(options.pluginLib());
      for (int i = 0; i < options.ports().size(); i++) {
        String name = "plugin-" + (i + 1);
        PluginCopy copy = PluginCopy.start(name, jars, pluginArgs(options, i));
        copies.add(copy);
        System.out.printf(
            "%s listening on http://127.0.0.1:%d, DJL from class loader '%s' (parent '%s')%n",
            name, options.ports().get(i), copy.djlLoader(), copy.loader().getParent().getName());
      }
    } catch (IOException | ClassNotFoundException e) {
      System.err.println("plugin-host: " + e.getMessage());
      System.exit(1);
    }
  }

  private static String[] pluginArgs(HostOptions options, int copy) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--model", options.model().toString()));
    args.addAll(List.of("--port", options.ports().get(copy).toString()));
    if (options.threads() > 0) {
      args.addAll(List.of("--threads", Integer.toString(options.threads())));
    }
    return args.toArray(String[]::new);
  }

  /** Every jar in the plugin directory. */
  private static URL[] jars(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no plugin directory " + dir + "; pass --plugin-lib=DIR");
    }
    List<URL> urls = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        urls.add(toUrl(jar));
      }
    }
    if (urls.isEmpty()) {
      throw new IOException("no jars in the plugin directory " + dir);
    }
    return urls.toArray(URL[]::new);
  }

  private static URL toUrl(Path jar) throws IOException {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IOException(jar + ": " + e.getMessage(), e);
    }
  }

  /** {@code plugin-lib} beside the host's jar (or its classes directory). */
  private static Path defaultPluginLib() {
    try {
      Path self =
          Path.of(PluginHost.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return self.resolveSibling("plugin-lib");
    } catch (URISyntaxException e) {
      return Path.of("plugin-lib");
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private static void stop(List<PluginCopy> copies) {
    for (PluginCopy copy : copies) {
      try {
        copy.close();
      } catch (Exception e) {
        System.err.println("plugin-host: stopping a copy failed: " + e);
      }
    }
  }
}
