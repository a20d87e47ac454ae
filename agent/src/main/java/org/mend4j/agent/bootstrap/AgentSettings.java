package org.mend4j.agent.bootstrap;

import static org.mend4j.agent.bootstrap.SettingKeys.ADMIN_MAX_BODY_BYTES;
import static org.mend4j.agent.bootstrap.SettingKeys.ADMIN_MAX_CONNECTIONS;
import static org.mend4j.agent.bootstrap.SettingKeys.ADMIN_MAX_EDIT_BYTES;
import static org.mend4j.agent.bootstrap.SettingKeys.ADMIN_MAX_HEADER_BYTES;
import static org.mend4j.agent.bootstrap.SettingKeys.ADMIN_PORT;
import static org.mend4j.agent.bootstrap.SettingKeys.ADMIN_READ_TIMEOUT_MS;
import static org.mend4j.agent.bootstrap.SettingKeys.ADMIN_TOKEN;
import static org.mend4j.agent.bootstrap.SettingKeys.ADMIN_TOKEN_FILE;
import static org.mend4j.agent.bootstrap.SettingKeys.CONTROL_START_DELAY_MS;
import static org.mend4j.agent.bootstrap.SettingKeys.EDITOR;
import static org.mend4j.agent.bootstrap.SettingKeys.EDITS;
import static org.mend4j.agent.bootstrap.SettingKeys.EDITS_DISABLED;
import static org.mend4j.agent.bootstrap.SettingKeys.ENABLED;
import static org.mend4j.agent.bootstrap.SettingKeys.JMX;
import static org.mend4j.agent.bootstrap.SettingKeys.LAYERS;
import static org.mend4j.agent.bootstrap.SettingKeys.LOG;
import static org.mend4j.agent.bootstrap.SettingKeys.MAP;
import static org.mend4j.agent.bootstrap.SettingKeys.MERGE_MAX_FLOATS;
import static org.mend4j.agent.bootstrap.SettingKeys.MKL_CPU_DISPATCH;
import static org.mend4j.agent.bootstrap.SettingKeys.MODEL;
import static org.mend4j.agent.bootstrap.SettingKeys.MODEL_WEIGHTS;
import static org.mend4j.agent.bootstrap.SettingKeys.STATUS_FILE;
import static org.mend4j.agent.bootstrap.SettingKeys.STATUS_INTERVAL_MS;
import static org.mend4j.agent.bootstrap.SettingKeys.STORE;
import static org.mend4j.agent.bootstrap.SettingKeys.STORE_PASSWORD_ENV;
import static org.mend4j.agent.bootstrap.SettingKeys.STORE_PASSWORD_FILE;
import static org.mend4j.agent.bootstrap.SettingKeys.STORE_POLL_MS;
import static org.mend4j.agent.bootstrap.SettingKeys.STORE_REPLICA;
import static org.mend4j.agent.bootstrap.SettingKeys.STORE_USER;
import static org.mend4j.agent.bootstrap.SettingKeys.TORCHSCRIPT;
import static org.mend4j.agent.bootstrap.SettingKeys.VARIANTS_HEADER;
import static org.mend4j.agent.bootstrap.SettingKeys.VARIANTS_HEADER_ALLOWED;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mend4j.agent.admin.AdminLimits;
import org.mend4j.agent.binding.NameMapping;

/**
 * The agent's configuration, parsed once at start from the agent arguments, the {@code mend4j.*}
 * system properties, the environment and the {@code config} file ({@link ConfigSources}) with the
 * keys of {@link SettingKeys}, and grouped by the part of the agent that uses it. Immutable; every
 * part of the agent takes its group, none reads a key by name.
 *
 * @param enabled whether the agent runs at all
 * @param logToHostSlf4j whether the agent logs through the host's SLF4J ({@code log=slf4j}) once it
 *     meets the host's DJL, rather than on standard error
 * @param mklCpuDispatch whether the agent lets libtorch's oneMKL dispatch on the CPU's features
 *     ({@code mkl.cpu.dispatch}, {@code MklCpuDispatch})
 * @param hook binding and the forward hook
 * @param store where edits are kept
 * @param status the status file
 * @param control the admin API and the JMX MBean
 * @param warnings problems found while parsing, for the agent to log once it runs
 */
public record AgentSettings(
    boolean enabled,
    boolean logToHostSlf4j,
    boolean mklCpuDispatch,
    Hook hook,
    Store store,
    Status status,
    Control control,
    List<String> warnings) {

  /** Copies the warnings. */
  public AgentSettings {
    warnings = List.copyOf(warnings);
  }

  /** The settings of this JVM: agent arguments, system properties, environment, file. */
  public static AgentSettings load(String agentArgs) {
    return of(agentArgs, ConfigSources.systemProperties(), System.getenv());
  }

  /**
   * Settings from explicit sources.
   *
   * @param agentArgs the {@code key=value,key=value} string after {@code -javaagent:jar=}, or null
   * @param systemProperties system properties ({@code mend4j.KEY})
   * @param environment environment variables ({@code MEND4J_KEY})
   */
  public static AgentSettings of(
      String agentArgs, Map<String, String> systemProperties, Map<String, String> environment) {
    ConfigSources s = ConfigSources.of(agentArgs, systemProperties, environment);
    Hook hook =
        new Hook(
            LAYERS.read(s),
            MAP.read(s),
            MERGE_MAX_FLOATS.read(s),
            TORCHSCRIPT.read(s),
            VARIANTS_HEADER.read(s),
            Set.copyOf(VARIANTS_HEADER_ALLOWED.read(s)));
    Store store =
        new Store(
            EDITS.readOptional(s),
            Set.copyOf(EDITS_DISABLED.read(s)),
            STORE.readOptional(s),
            STORE_USER.readOptional(s),
            STORE_PASSWORD_FILE.readOptional(s),
            new Secret(s.environment(STORE_PASSWORD_ENV).orElse(null)),
            STORE_POLL_MS.read(s),
            STORE_REPLICA.read(s));
    Status status = new Status(STATUS_FILE.readOptional(s), STATUS_INTERVAL_MS.read(s));
    Control control =
        new Control(
            ADMIN_PORT.readOptional(s),
            new Secret(ADMIN_TOKEN.readOptional(s).orElse(null)),
            ADMIN_TOKEN_FILE.read(s),
            new AdminLimits(
                ADMIN_MAX_BODY_BYTES.read(s),
                ADMIN_MAX_EDIT_BYTES.read(s),
                ADMIN_MAX_HEADER_BYTES.read(s),
                ADMIN_MAX_CONNECTIONS.read(s),
                ADMIN_READ_TIMEOUT_MS.read(s)),
            JMX.read(s),
            CONTROL_START_DELAY_MS.read(s),
            MODEL.readOptional(s),
            MODEL_WEIGHTS.read(s).equals("host"),
            EDITOR.readOptional(s));
    boolean enabled = ENABLED.read(s);
    boolean logToHostSlf4j = LOG.read(s).equals("slf4j");
    return new AgentSettings(
        enabled,
        logToHostSlf4j,
        MKL_CPU_DISPATCH.read(s),
        hook,
        store,
        status,
        control,
        s.warnings());
  }

  /**
   * Binding and the forward hook.
   *
   * @param layers further layer classes, {@code class[:weightParam[:out_in|in_out]]}
   * @param mapping explicit name mapping ({@link NameMapping#NONE} if none)
   * @param mergeMaxFloats largest weight (elements) the merged fast path takes; 0 turns it off
   * @param torchScript whether TorchScript modules are edited
   * @param variantsHeader whether a request may choose its variant by header
   * @param variantsHeaderAllowed the only variants the header may choose (empty: all)
   */
  public record Hook(
      List<String> layers,
      NameMapping mapping,
      long mergeMaxFloats,
      boolean torchScript,
      boolean variantsHeader,
      Set<String> variantsHeaderAllowed) {}

  /**
   * Where edits are kept: a fleet's database if {@code url} is set, else a directory (or none).
   *
   * @param editsDir the edit directory
   * @param disabled ids of edits in the directory that start disabled
   * @param url the shared store's JDBC URL
   * @param user its database user
   * @param passwordFile a file holding its password
   * @param passwordFromEnvironment its password from {@link SettingKeys#STORE_PASSWORD_ENV}
   * @param pollMillis how often a replica checks the store's version
   * @param replica this replica's name in the store
   */
  public record Store(
      Optional<Path> editsDir,
      Set<String> disabled,
      Optional<String> url,
      Optional<String> user,
      Optional<Path> passwordFile,
      Secret passwordFromEnvironment,
      long pollMillis,
      String replica) {}

  /**
   * The status file.
   *
   * @param file where it is written (none: not written)
   * @param intervalMillis how often
   */
  public record Status(Optional<Path> file, long intervalMillis) {}

  /**
   * The admin API and the JMX MBean.
   *
   * @param adminPort the admin API's port (empty: off; 0: any)
   * @param adminToken its bearer token (null value: generated)
   * @param adminTokenFile where a generated token is written
   * @param adminLimits what one admin client may send or hold
   * @param jmx whether the MBean is registered
   * @param startDelayMillis how long to wait after the host's {@code main} started
   * @param model the checkpoint the host serves, for edits computed in-process
   * @param onHostWeights whether in-process edits are computed on the host's own arrays when they
   *     hold the whole model (rather than always on a loaded copy)
   * @param editor the MEND editor for it
   */
  public record Control(
      Optional<Integer> adminPort,
      Secret adminToken,
      Path adminTokenFile,
      AdminLimits adminLimits,
      boolean jmx,
      int startDelayMillis,
      Optional<Path> model,
      boolean onHostWeights,
      Optional<Path> editor) {}

  /**
   * A secret (a password, a token), which {@code toString} never shows.
   *
   * @param value the secret, or null if none was given
   */
  public record Secret(String value) {
    @Override
    public String toString() {
      return value == null ? "(none)" : "(secret)";
    }
  }
}
