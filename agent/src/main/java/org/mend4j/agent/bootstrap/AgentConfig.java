package org.mend4j.agent.bootstrap;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The agent's configuration. Every key can be given, in this order of precedence, as an agent
 * argument ({@code -javaagent:mend4j-agent.jar=key=value,key=value}), a system property {@code
 * mend4j.KEY}, an environment variable {@code MEND4J_KEY} (upper case, dots as underscores), or an
 * entry of the properties file named by {@code config}. A key may have aliases (e.g. {@code
 * edits.dir} for {@code edits}); at each level the key itself wins over its aliases.
 *
 * <p>Parsing never throws: malformed arguments are collected as {@link #warnings()} so that a typo
 * cannot stop the host from starting.
 */
public final class AgentConfig {

  /** {@code false} switches the agent off entirely. */
  public static final String ENABLED = "enabled";

  /**
   * Directory of {@code *.mend.safetensors} edit files loaded at start; alias {@code edits.dir}.
   */
  public static final String EDITS = "edits";

  /**
   * A shared edit store for a fleet of replicas, {@code jdbc:postgresql://HOST:PORT/DB}; when set,
   * {@link #EDITS} is ignored.
   */
  public static final String STORE = "store";

  /** The database user of {@link #STORE}. */
  public static final String STORE_USER = "store.user";

  /**
   * A file holding the password of {@link #STORE} (else the environment variable {@code
   * MEND4J_STORE_PASSWORD}; never an agent argument or system property, which other local users can
   * read from the process list).
   */
  public static final String STORE_PASSWORD_FILE = "store.password.file";

  /** The environment variable holding the password of {@link #STORE}. */
  public static final String STORE_PASSWORD_ENV = "MEND4J_STORE_PASSWORD";

  /** How often a replica checks the store's version besides its notifications (default 1000). */
  public static final String STORE_POLL_MS = "store.poll.ms";

  /** This replica's name in the store's change log and the status (default {@code HOST/PID}). */
  public static final String STORE_REPLICA = "store.replica";

  /** Ids of edits in {@link #EDITS} that start disabled, separated by {@code ;}. */
  public static final String EDITS_DISABLED = "edits.disabled";

  /** Name mapping: a properties file, or inline {@code hf=host;hf=host} (see NameMapping). */
  public static final String MAP = "map";

  /** Further layer classes, {@code ;}-separated {@code class[:weightParam[:out_in|in_out]]}. */
  public static final String LAYERS = "layers";

  /** A file the agent rewrites with its status (edits, bindings, counters) as JSON. */
  public static final String STATUS_FILE = "status.file";

  /** How often the status file is rewritten, in milliseconds (default 1000). */
  public static final String STATUS_INTERVAL_MS = "status.interval.ms";

  /** Port of the admin HTTP API on 127.0.0.1; the API is off unless it is set (0: any port). */
  public static final String ADMIN_PORT = "admin.port";

  /** The admin API's bearer token; generated and written to {@link #ADMIN_TOKEN_FILE} if unset. */
  public static final String ADMIN_TOKEN = "admin.token";

  /**
   * Where a generated admin token is written (0600); default {@code TMPDIR/mend4j-admin-PID.token}.
   */
  public static final String ADMIN_TOKEN_FILE = "admin.token.file";

  /** Largest JSON body the admin API accepts, in bytes (default 65536). */
  public static final String ADMIN_MAX_BODY_BYTES = "admin.max.body.bytes";

  /** Largest edit file the admin API accepts, in bytes (default 64 MiB). */
  public static final String ADMIN_MAX_EDIT_BYTES = "admin.max.edit.bytes";

  /** Largest request line and headers the admin API accepts, in bytes (default 16384). */
  public static final String ADMIN_MAX_HEADER_BYTES = "admin.max.header.bytes";

  /** Connections the admin API holds open at once (default 256; more wait to be accepted). */
  public static final String ADMIN_MAX_CONNECTIONS = "admin.max.connections";

  /**
   * Milliseconds an admin connection has to deliver its request, headers and body (default 10000),
   * and longest silence on it.
   */
  public static final String ADMIN_READ_TIMEOUT_MS = "admin.read.timeout.ms";

  /**
   * {@code true} lets a request choose its variant with the {@code X-Mend4j-Variant} header
   * (default false: any client of the host could otherwise bypass the enabled edits).
   */
  public static final String VARIANTS_HEADER = "variants.header";

  /** With {@link #VARIANTS_HEADER}: the only variants a header may choose, {@code ;}-separated. */
  public static final String VARIANTS_HEADER_ALLOWED = "variants.header.allowed";

  /** The checkpoint directory the host serves, for edits computed in-process. */
  public static final String MODEL = "model";

  /** The MEND editor directory for {@link #MODEL}, for edits computed in-process. */
  public static final String EDITOR = "editor";

  /**
   * Milliseconds the control plane waits after the host's {@code main} has started (default 1000;
   * not when attached), so the host's first statements (its logging set-up) run before the JDK's
   * HTTP server and JMX initialise {@code java.util.logging}.
   */
  public static final String CONTROL_START_DELAY_MS = "control.start.delay.ms";

  /** {@code false} leaves the JMX MBean {@code org.mend4j:type=Edits} unregistered. */
  public static final String JMX = "jmx";

  /**
   * Where the agent logs: {@code stderr} (default, prefixed lines) or {@code slf4j}, the host's own
   * SLF4J (logger {@code org.mend4j.agent}) from the moment the agent meets the host's DJL.
   */
  public static final String LOG = "log";

  /**
   * Largest layer weight, in elements ({@code in * out}), for which the forward hook computes an
   * edited {@code Linear} itself with a merged weight {@code W + dW} (one dense copy per edited
   * weight per selection in use) instead of adding the factored delta to the layer's output; {@code
   * 0} turns the merged fast path off. Default 4194304 (2^22, 16 MiB per copy).
   */
  public static final String MERGE_MAX_FLOATS = "merge.max.floats";

  /**
   * {@code true} (default) edits TorchScript modules ({@code PtSymbolBlock}) by changing their
   * weights in place, loading them as changeable tensors; {@code false} leaves them as DJL loads
   * them, unedited.
   */
  public static final String TORCHSCRIPT = "torchscript";

  /**
   * Test-only fault injection: {@code hook} makes the forward hook throw whenever it would apply an
   * edit (factored or merged), {@code merge} only the merged fast path.
   */
  public static final String TEST_FAULT = "test.fault";

  /** A properties file holding further keys (lowest precedence). */
  public static final String CONFIG = "config";

  private static final Map<String, List<String>> ALIASES = Map.of(EDITS, List.of("edits.dir"));

  private final Map<String, String> args;
  private final Map<String, String> properties;
  private final Map<String, String> env;
  private final Map<String, String> file;
  private final List<String> warnings;

  private AgentConfig(
      Map<String, String> args,
      Map<String, String> properties,
      Map<String, String> env,
      List<String> warnings) {
    this.args = args;
    this.properties = properties;
    this.env = env;
    this.warnings = warnings;
    this.file = Map.of();
  }

  private AgentConfig(AgentConfig base, Map<String, String> file) {
    this.args = base.args;
    this.properties = base.properties;
    this.env = base.env;
    this.warnings = base.warnings;
    this.file = file;
  }

  /** The configuration of this JVM: agent arguments, system properties, environment, file. */
  public static AgentConfig load(String agentArgs) {
    Map<String, String> props = new LinkedHashMap<>();
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("mend4j."))
        .forEach(k -> props.put(k, System.getProperty(k)));
    return of(agentArgs, props, System.getenv());
  }

  /**
   * A configuration from explicit sources (for tests).
   *
   * @param agentArgs the {@code key=value,key=value} string after {@code -javaagent:jar=}, or null
   * @param systemProperties system properties ({@code mend4j.KEY})
   * @param environment environment variables ({@code MEND4J_KEY})
   */
  public static AgentConfig of(
      String agentArgs, Map<String, String> systemProperties, Map<String, String> environment) {
    List<String> warnings = new ArrayList<>();
    Map<String, String> args = parseArgs(agentArgs, warnings);
    AgentConfig config = new AgentConfig(args, Map.copyOf(systemProperties), environment, warnings);
    Optional<String> configFile = config.get(CONFIG);
    return configFile.isPresent()
        ? new AgentConfig(config, readFile(configFile.get(), warnings))
        : config;
  }

  static Map<String, String> parseArgs(String agentArgs, List<String> warnings) {
    Map<String, String> args = new LinkedHashMap<>();
    if (agentArgs == null || agentArgs.isBlank()) {
      return args;
    }
    for (String part : agentArgs.split(",")) {
      String item = part.trim();
      int eq = item.indexOf('=');
      if (item.isEmpty()) {
        continue;
      }
      if (eq <= 0) {
        warnings.add("ignored agent argument '" + item + "' (expected key=value)");
        continue;
      }
      args.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
    }
    return args;
  }

  private static Map<String, String> readFile(String path, List<String> warnings) {
    Properties p = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
      p.load(reader);
    } catch (IOException | RuntimeException e) {
      warnings.add("cannot read config file " + path + ": " + e.getMessage());
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k).trim()));
    return map;
  }

  /** The value of {@code key} from the highest-precedence source that sets it. */
  public Optional<String> get(String key) {
    List<String> names = new ArrayList<>();
    names.add(key);
    names.addAll(ALIASES.getOrDefault(key, List.of()));
    for (int level = 0; level < 4; level++) {
      for (String name : names) {
        String value = lookup(level, name);
        if (value != null && !value.isBlank()) {
          return Optional.of(value.trim());
        }
      }
    }
    return Optional.empty();
  }

  private String lookup(int level, String name) {
    switch (level) {
      case 0:
        return args.get(name);
      case 1:
        return properties.get("mend4j." + name);
      case 2:
        return env.get("MEND4J_" + name.toUpperCase(Locale.ROOT).replace('.', '_'));
      default:
        return file.get(name);
    }
  }

  /** A boolean key; anything but {@code true}/{@code false} (any case) gives the fallback. */
  public boolean flag(String key, boolean fallback) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return fallback;
    }
    if (value.get().equalsIgnoreCase("true") || value.get().equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value.get());
    }
    warnings.add(key + "=" + value.get() + " is not true or false; using " + fallback);
    return fallback;
  }

  /** A positive long key, or the fallback (with a warning) if it is missing or malformed. */
  public long positiveLong(String key, long fallback) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(value.get());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    warnings.add(key + "=" + value.get() + " is not a positive number; using " + fallback);
    return fallback;
  }

  /** A non-negative long key, or the fallback (with a warning) if it is missing or malformed. */
  public long nonNegativeLong(String key, long fallback) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(value.get());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    warnings.add(key + "=" + value.get() + " is not a non-negative number; using " + fallback);
    return fallback;
  }

  /** An integer key in {@code min..max}; empty if it is missing, or malformed (with a warning). */
  public java.util.OptionalInt intIn(String key, int min, int max) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return java.util.OptionalInt.empty();
    }
    try {
      int v = Integer.parseInt(value.get());
      if (v >= min && v <= max) {
        return java.util.OptionalInt.of(v);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    warnings.add(
        key + "=" + value.get() + " is not an integer in " + min + ".." + max + "; ignored");
    return java.util.OptionalInt.empty();
  }

  /** A {@code ;}-separated list key, trimmed, without empty items. */
  public List<String> list(String key) {
    List<String> items = new ArrayList<>();
    get(key)
        .ifPresent(
            v -> {
              for (String s : v.split(";")) {
                if (!s.isBlank()) {
                  items.add(s.trim());
                }
              }
            });
    return items;
  }

  /** An environment variable only (for secrets, which no other source may carry). */
  public Optional<String> environment(String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Problems found while parsing, for the agent to log once it runs. */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }
}
