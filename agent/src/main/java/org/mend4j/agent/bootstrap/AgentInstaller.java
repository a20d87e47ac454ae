package org.mend4j.agent.bootstrap;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.control.Control;
import org.mend4j.agent.control.ControlJson;
import org.mend4j.agent.control.InProcessEditor;
import org.mend4j.agent.entry.HostCalls;
import org.mend4j.agent.hook.CopySettings;
import org.mend4j.agent.hook.DjlCopies;
import org.mend4j.agent.hook.HookCounters;
import org.mend4j.agent.hook.LayerHooks;
import org.mend4j.agent.hook.VariantHeaderPolicy;
import org.mend4j.agent.hook.VariantRouter;
import org.mend4j.agent.instrumentation.LayerInstrumentation;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.persist.EditStore;
import org.mend4j.agent.registry.EditRegistry;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.agent.status.StatusFile;
import org.mend4j.runtime.engine.MklCpuDispatch;

/**
 * Wires the agent: builds the registry, the copies of DJL it will meet, the hook and the control
 * plane, installs the instrumentation, and starts the daemon threads that need no host cooperation
 * (reading the edit directory, writing the status file). The admin API and the JMX MBean start
 * later, once the host's {@code main} runs ({@link ControlPlane}). Nothing here touches DJL: the
 * host may load it later, in any class loader, even more than once; edits are bound and turned into
 * engine arrays on the host's first forward pass.
 */
public final class AgentInstaller {

  private static final String DJL_BLOCK = "ai/djl/nn/Block.class";

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private AgentInstaller() {}

  /**
   * Starts the agent; called by {@link org.mend4j.agent.entry.Mend4jAgent} in the agent's class
   * loader.
   *
   * @param args the agent's argument string
   * @param inst the JVM's instrumentation
   * @param attached whether the agent is attached to a running JVM
   * @param hostMain the thread that ran {@code premain} (it goes on to run the host's {@code main})
   */
  public static void start(String args, Instrumentation inst, boolean attached, Thread hostMain) {
    install(AgentSettings.load(args), inst, attached, hostMain);
  }

  static void install(
      AgentSettings settings, Instrumentation inst, boolean attached, Thread hostMain) {
    if (!settings.enabled()) {
      AgentLog.info("agent disabled by configuration (enabled=false)");
      return;
    }
    if (INSTALLED.getAndSet(true)) {
      // A second attach would instrument the layers twice and apply every edit twice.
      AgentLog.warn("agent already active in this JVM; ignoring the second start");
      return;
    }
    if (settings.mklCpuDispatch()) {
      dispatchMklOnCpuFeatures(attached);
    }
    AgentSettings.Hook hook = settings.hook();
    List<String> problems = new ArrayList<>();
    Map<String, LayerSpec> specs = LayerSpec.withConfigured(hook.layers(), problems);
    EditStore store = EditStores.open(settings.store(), problems);
    problems.forEach(AgentLog::warn);

    AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.EMPTY);
    // Attached, the agent learns layers built before it as they run; until it has met them all,
    // an edit that matches no layer is pending, not refused.
    DjlCopies copies = new DjlCopies();
    if (settings.logToHostSlf4j()) {
      copies.logThroughHostSlf4j();
    }
    BooleanSupplier allLayersKnown = attached ? copies::allLayersKnown : () -> true;
    EditRegistry registry = new EditRegistry(current, copies, allLayersKnown, attached);
    HookCounters counters = new HookCounters();
    VariantRouter router =
        new VariantRouter(
            new VariantHeaderPolicy(hook.variantsHeader(), hook.variantsHeaderAllowed()));
    copies.start(
        new CopySettings(
            registry,
            counters,
            router,
            specs,
            hook.mapping(),
            hook.mergeMaxFloats(),
            hook.torchScript()));
    HostCalls.install(new LayerHooks(current, copies, hook.torchScript(), registry.attached()));
    LayerInstrumentation.install(inst, LayerSpec.classNames(specs));

    if (store.persistent()) {
      loadInBackground(store, settings.store().disabled(), registry);
    }
    AgentSettings.Control controlSettings = settings.control();
    Control control =
        new Control(
            registry,
            store,
            new InProcessEditor(
                controlSettings.model().orElse(null),
                controlSettings.editor().orElse(null),
                controlSettings.onHostWeights() ? copies::ownParameterArrays : null),
            counters,
            router,
            copies::status);
    AgentSettings.Status status = settings.status();
    status
        .file()
        .ifPresent(
            file ->
                StatusFile.start(
                    file, status.intervalMillis(), () -> ControlJson.text(control.status())));
    ControlPlane.startLater(settings.control(), control, hostMain, attached);
    settings.warnings().forEach(AgentLog::warn);
    AgentLog.info(
        "agent active"
            + (attached ? " (attached)" : "")
            + ": layers "
            + specs.keySet()
            + (store.persistent() ? ", edits in " + store.location() : ", no edits dir")
            + settings.control().adminPort().map(p -> ", admin port " + p).orElse("")
            + (hook.mapping().isEmpty() ? "" : ", " + hook.mapping().size() + " name mapping rules")
            + (!hook.torchScript() ? ", TorchScript modules left alone" : "")
            + (hook.mergeMaxFloats() == 0
                ? ", merged fast path off"
                : ", merged fast path for weights up to " + hook.mergeMaxFloats() + " floats")
            + (ClassLoader.getSystemClassLoader().getResource(DJL_BLOCK) == null
                ? "; DJL is not on the system class path: the agent meets it in whichever class"
                    + " loader the host loads it"
                : ""));
  }

  /**
   * Lets libtorch's oneMKL dispatch on the CPU's features, as the operator asked ({@code
   * mkl.cpu.dispatch=true}); only from {@code premain}, before the host's engine can have run a
   * product (oneMKL asks once, and an attached agent comes after the host's first ones).
   */
  private static void dispatchMklOnCpuFeatures(boolean attached) {
    if (attached) {
      AgentLog.warn(
          "mkl.cpu.dispatch=true ignored: it applies from -javaagent, before the host's engine"
              + " starts, not when attached to a running JVM");
      return;
    }
    // a library that fails to load is also warned of by the runtime, whose log joins the agent's
    AgentLog.info(
        MklCpuDispatch.apply()
            .map(why -> "mkl.cpu.dispatch: oneMKL keeps its own dispatch: " + why)
            .orElse("mkl.cpu.dispatch: libtorch's oneMKL dispatches on the CPU's features"));
  }

  /**
   * Reads the edit directory on a daemon thread, so start-up is not delayed; the host's first
   * forward pass waits for it, so no request is served with only part of the edits.
   */
  private static void loadInBackground(
      EditStore store, Set<String> disabled, EditRegistry registry) {
    registry.beginStartupLoad();
    Thread loader =
        new Thread(
            () -> {
              try {
                store.load(registry, disabled);
              } catch (Throwable t) {
                AgentLog.error("loading edits from " + store.location() + " failed", t);
              } finally {
                registry.finishStartupLoad();
              }
            },
            "mend4j-edit-loader");
    loader.setDaemon(true);
    loader.start();
  }
}
