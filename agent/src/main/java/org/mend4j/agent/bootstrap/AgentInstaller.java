package org.mend4j.agent.bootstrap;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mend4j.agent.binding.HostBinder;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.binding.NameMapping;
import org.mend4j.agent.hook.ForwardApplier;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.LayerHooks;
import org.mend4j.agent.instrumentation.LayerInstrumentation;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.EditDirectory;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.status.StatusFile;
import org.mend4j.agent.status.StatusReport;

/**
 * Wires the agent: checks that the host has DJL, builds the registry, binder and hook, installs the
 * instrumentation, and starts the two daemon threads that need no host cooperation (reading the
 * edit files given at start, writing the status file). Nothing here touches the DJL engine: edits
 * are bound and turned into engine arrays on the host's first forward pass.
 */
final class AgentInstaller {

  private static final String DJL_LINEAR = "ai/djl/nn/core/Linear.class";

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private AgentInstaller() {}

  static void install(AgentConfig config, Instrumentation inst, boolean attached) {
    if (!config.flag(AgentConfig.ENABLED, true)) {
      AgentLog.info("agent disabled by configuration (enabled=false)");
      return;
    }
    if (INSTALLED.getAndSet(true)) {
      // A second attach would instrument the layers twice and apply every edit twice.
      AgentLog.warn("agent already active in this JVM; ignoring the second start");
      return;
    }
    if (ClassLoader.getSystemClassLoader().getResource(DJL_LINEAR) == null) {
      AgentLog.warn(
          "DJL (ai.djl.nn.core.Linear) is not on the system class path: agent disabled, the host"
              + " runs unaffected");
      return;
    }
    List<String> problems = new ArrayList<>();
    Map<String, LayerSpec> specs =
        LayerSpec.withConfigured(config.list(AgentConfig.LAYERS), problems);
    NameMapping mapping = NameMapping.NONE;
    if (config.get(AgentConfig.MAP).isPresent()) {
      try {
        mapping = NameMapping.parse(config.get(AgentConfig.MAP).get());
      } catch (IllegalArgumentException e) {
        problems.add("name mapping ignored: " + e.getMessage());
      }
    }
    long statusInterval = config.positiveLong(AgentConfig.STATUS_INTERVAL_MS, 1000);
    boolean fault = config.get(AgentConfig.TEST_FAULT).map("hook"::equals).orElse(false);
    config.warnings().forEach(AgentLog::warn);
    problems.forEach(AgentLog::warn);

    HostBinder binder = new HostBinder(LayerHooks.CATALOG, LayerHooks.TREE, specs, mapping);
    EditRegistry registry = new EditRegistry(LayerHooks.CURRENT, binder, !attached);
    HookCounters counters = new HookCounters();
    LayerHooks.install(new ForwardApplier(registry, LayerHooks.CATALOG, binder, counters, fault));
    LayerInstrumentation.install(inst, LayerSpec.classNames(specs));

    config
        .get(AgentConfig.EDITS)
        .ifPresent(
            dir ->
                loadInBackground(
                    Path.of(dir), Set.copyOf(config.list(AgentConfig.EDITS_DISABLED)), registry));
    config
        .get(AgentConfig.STATUS_FILE)
        .ifPresent(
            file ->
                StatusFile.start(
                    Path.of(file),
                    statusInterval,
                    () ->
                        StatusReport.text(
                            StatusReport.of(
                                registry.current(), counters, LayerHooks.CATALOG.size()))));
    AgentLog.info(
        "agent active"
            + (attached ? " (attached)" : "")
            + ": layers "
            + specs.keySet()
            + config.get(AgentConfig.EDITS).map(d -> ", edits from " + d).orElse(", no edits")
            + (mapping.isEmpty() ? "" : ", " + mapping.size() + " name mapping rules")
            + (fault ? ", TEST FAULT INJECTION in the forward hook" : ""));
  }

  /**
   * Reads the edit files on a daemon thread, so start-up is not delayed; the host's first forward
   * pass waits for them, so no request is served with only part of them.
   */
  private static void loadInBackground(Path dir, Set<String> disabled, EditRegistry registry) {
    registry.beginStartupLoad();
    Thread loader =
        new Thread(
            () -> {
              try {
                EditDirectory.load(dir, disabled, registry);
              } catch (Throwable t) {
                AgentLog.error("loading edits from " + dir + " failed", t);
              } finally {
                registry.finishStartupLoad();
              }
            },
            "mend4j-edit-loader");
    loader.setDaemon(true);
    loader.start();
  }
}
