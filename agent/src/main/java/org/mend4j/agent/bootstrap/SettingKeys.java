package org.mend4j.agent.bootstrap;

import java.nio.file.Path;
import java.util.List;
import org.mend4j.agent.admin.AdminLimits;
import org.mend4j.agent.admin.AdminToken;
import org.mend4j.agent.binding.NameMapping;

/**
 * Every configuration key of the agent, each declared once: name, type, default, allowed range and
 * a one-line description ({@link Setting}). {@link AgentSettings} reads them all, once; the agent's
 * README documents exactly these keys with these defaults (a test compares the two).
 */
public final class SettingKeys {

  private SettingKeys() {}

  /** The environment variable holding the password of {@link #STORE} (no other source may). */
  public static final String STORE_PASSWORD_ENV = "MEND4J_STORE_PASSWORD";

  /**
   * Default largest weight, in elements, that the merged fast path takes: 2^22 (16 MiB per merged
   * copy). It covers every weight of GPT-2 small (768 x 3072 = 2.4 M, 9 MiB a copy) and medium
   * (1024 x 4096, exactly 2^22), so MEND's six inner weights of GPT-2 small cost the host 54 MiB
   * per selection in use (11 % of its weights) and any number of ungated edits then costs a call
   * what no edit does. On those MLP weights the factored path costs two products and an addition a
   * call (and more than the layer itself past about 600 rows); 2^20, the default before, left them
   * factored.
   */
  public static final long DEFAULT_MERGE_MAX_FLOATS = 1L << 22;

  static final Setting<Boolean> ENABLED =
      Setting.flag("enabled", true, "false switches the agent off entirely");

  static final Setting<String> CONFIG =
      Setting.text("config", "a properties file holding further keys (lowest precedence)");

  // Persistence

  static final Setting<Path> EDITS =
      Setting.path("edits", "directory of edit files loaded at start, where changes are persisted")
          .withAlias("edits.dir");

  static final Setting<List<String>> EDITS_DISABLED =
      Setting.list("edits.disabled", "ids of edits in edits that start disabled");

  static final Setting<String> STORE =
      Setting.text("store", "a fleet's shared edit store, jdbc:postgresql://HOST:PORT/DB");

  static final Setting<String> STORE_USER = Setting.text("store.user", "the store's database user");

  static final Setting<Path> STORE_PASSWORD_FILE =
      Setting.path("store.password.file", "a file holding the store's password");

  static final Setting<Long> STORE_POLL_MS =
      Setting.number(
          "store.poll.ms",
          1000,
          1,
          Long.MAX_VALUE,
          "how often a replica checks the store's version");

  static final Setting<String> STORE_REPLICA =
      Setting.text("store.replica", "this replica's name in the store's change log and status")
          .withDefault(SettingKeys::defaultReplica, "$HOSTNAME/PID");

  // Hook and binding

  static final Setting<NameMapping> MAP =
      new Setting<>(
          "map",
          List.of(),
          NameMapping::parse,
          "a name mapping",
          () -> NameMapping.NONE,
          Setting.NO_DEFAULT,
          "name mapping: a properties file, or inline hf=host;hf=host");

  static final Setting<List<String>> LAYERS =
      Setting.list("layers", "further layer classes, class[:weightParam[:out_in|in_out]]");

  static final Setting<Long> MERGE_MAX_FLOATS =
      Setting.number(
          "merge.max.floats",
          DEFAULT_MERGE_MAX_FLOATS,
          0,
          Long.MAX_VALUE,
          "largest weight, in elements, the merged fast path takes; 0 turns it off");

  static final Setting<String> LOG =
      Setting.choice(
          "log",
          List.of("stderr", "slf4j"),
          "where the agent logs: stderr, or the host's SLF4J once the agent meets its DJL");

  static final Setting<Boolean> MKL_CPU_DISPATCH =
      Setting.flag(
          "mkl.cpu.dispatch",
          false,
          "true lets libtorch's oneMKL use its kernels for the CPU on non-Intel CPUs (-javaagent only)");

  static final Setting<Boolean> TORCHSCRIPT =
      Setting.flag("torchscript", true, "false leaves TorchScript modules unedited");

  static final Setting<Boolean> VARIANTS_HEADER =
      Setting.flag("variants.header", false, "true lets a request choose its variant by header");

  static final Setting<List<String>> VARIANTS_HEADER_ALLOWED =
      Setting.list("variants.header.allowed", "the only variants the header may choose");

  // Status

  static final Setting<Path> STATUS_FILE =
      Setting.path("status.file", "a JSON status file the agent rewrites");

  static final Setting<Long> STATUS_INTERVAL_MS =
      Setting.number(
          "status.interval.ms", 1000, 1, Long.MAX_VALUE, "how often the status file is rewritten");

  // Control plane

  static final Setting<Integer> ADMIN_PORT =
      Setting.integer(
          "admin.port", null, 0, 65535, "port of the admin HTTP API (0: any); off if unset");

  static final Setting<String> ADMIN_TOKEN =
      Setting.text("admin.token", "the admin API's bearer token (generated if unset)");

  static final Setting<Path> ADMIN_TOKEN_FILE =
      Setting.path("admin.token.file", "where a generated admin token is written (0600)")
          .withDefault(AdminToken::defaultFile, "$TMPDIR/mend4j-admin-PID.token");

  static final Setting<Integer> ADMIN_MAX_BODY_BYTES =
      Setting.integer(
          "admin.max.body.bytes",
          AdminLimits.DEFAULT_MAX_JSON_BYTES,
          1,
          Integer.MAX_VALUE,
          "largest JSON body the admin API accepts");

  static final Setting<Integer> ADMIN_MAX_EDIT_BYTES =
      Setting.integer(
          "admin.max.edit.bytes",
          AdminLimits.DEFAULT_MAX_EDIT_FILE_BYTES,
          1,
          Integer.MAX_VALUE,
          "largest edit file the admin API accepts");

  static final Setting<Integer> ADMIN_MAX_HEADER_BYTES =
      Setting.integer(
          "admin.max.header.bytes",
          AdminLimits.DEFAULT_MAX_HEADER_BYTES,
          1024,
          1 << 20,
          "largest request line and headers the admin API accepts");

  static final Setting<Integer> ADMIN_MAX_CONNECTIONS =
      Setting.integer(
          "admin.max.connections",
          AdminLimits.DEFAULT_MAX_CONNECTIONS,
          1,
          10_000,
          "admin connections held open at once");

  static final Setting<Integer> ADMIN_READ_TIMEOUT_MS =
      Setting.integer(
          "admin.read.timeout.ms",
          AdminLimits.DEFAULT_READ_TIMEOUT_MILLIS,
          1,
          3_600_000,
          "time an admin connection has to deliver its request");

  static final Setting<Path> MODEL =
      Setting.path("model", "the checkpoint the host serves, for edits computed in-process");

  static final Setting<Path> EDITOR =
      Setting.path("editor", "the MEND editor for model, for edits computed in-process");

  static final Setting<String> MODEL_WEIGHTS =
      Setting.choice(
          "model.weights",
          List.of("host", "copy"),
          "what in-process edits are computed on: host, the host's own arrays when they hold all"
              + " of model (else a copy is loaded), or copy, always a copy loaded from model");

  static final Setting<Integer> CONTROL_START_DELAY_MS =
      Setting.integer(
          "control.start.delay.ms",
          1000,
          0,
          600_000,
          "how long the control plane waits after the host's main started (none when attached)");

  static final Setting<Boolean> JMX =
      Setting.flag("jmx", true, "false leaves the MBean org.mend4j:type=Edits unregistered");

  /** Every key, in the README's order. */
  public static final List<Setting<?>> ALL =
      List.of(
          EDITS,
          EDITS_DISABLED,
          STORE,
          STORE_USER,
          STORE_PASSWORD_FILE,
          STORE_POLL_MS,
          STORE_REPLICA,
          MAP,
          LAYERS,
          STATUS_FILE,
          STATUS_INTERVAL_MS,
          ADMIN_PORT,
          ADMIN_TOKEN,
          ADMIN_TOKEN_FILE,
          ADMIN_MAX_BODY_BYTES,
          ADMIN_MAX_EDIT_BYTES,
          ADMIN_MAX_HEADER_BYTES,
          ADMIN_MAX_CONNECTIONS,
          ADMIN_READ_TIMEOUT_MS,
          VARIANTS_HEADER,
          VARIANTS_HEADER_ALLOWED,
          MODEL,
          MODEL_WEIGHTS,
          EDITOR,
          JMX,
          CONTROL_START_DELAY_MS,
          MERGE_MAX_FLOATS,
          TORCHSCRIPT,
          MKL_CPU_DISPATCH,
          LOG,
          ENABLED,
          CONFIG);

  /** {@code HOST/PID}, the host from {@code HOSTNAME} (no name lookup while the host starts). */
  private static String defaultReplica() {
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "localhost" : host)
        + "/"
        + ProcessHandle.current().pid();
  }
}
