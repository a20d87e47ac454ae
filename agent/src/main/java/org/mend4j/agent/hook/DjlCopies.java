package org.mend4j.agent.hook;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mend4j.agent.entry.AgentClassLoader;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.internal.HostSlf4j;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditBinder;
import org.mend4j.agent.registry.Snapshot;
import org.mend4j.runtime.edit.Edit;

/**
 * The copies of DJL in this JVM, each met through the first host object of it that reaches a hook,
 * and the one binder the registry uses: an edit binds to every copy holding the weights it was
 * computed for.
 *
 * <p>A copy is found from a host object's class in a {@link ClassValue} (a few field reads on the
 * hot path) and created, on first sight, by loading the agent's {@code djl} classes in a {@link
 * DjlCopyLoader} beside that copy's DJL. The copy is held strongly only by the class values of the
 * host's classes, and weakly here: when an application and its DJL go away, so does its copy. The
 * first copy met also gives DJL to the agent's own classes ({@link AgentClassLoader#useDjlOf}) for
 * the arithmetic they do (composing edits, computing one in-process, on the host's own arrays of
 * that copy when it has the whole model); its DJL then stays loaded as long as the agent does.
 */
public final class DjlCopies implements EditBinder {

  private static final String DJL_BLOCK = "ai.djl.nn.Block";
  private static final String COPY = DjlCopyLoader.COPIED + "DjlHost";

  private volatile CopySettings settings;
  private final List<WeakReference<DjlCopy>> copies = new CopyOnWriteArrayList<>();
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicBoolean hostLogging = new AtomicBoolean();
  private volatile WeakReference<DjlCopy> agentsOwn = new WeakReference<>(null);

  private final ClassValue<DjlCopy> byDjl =
      new ClassValue<>() {
        @Override
        protected DjlCopy computeValue(Class<?> djlBlock) {
          return create(djlBlock.getClassLoader());
        }
      };

  private final ClassValue<DjlCopy> byHostClass =
      new ClassValue<>() {
        @Override
        protected DjlCopy computeValue(Class<?> type) {
          try {
            return byDjl.get(Class.forName(DJL_BLOCK, false, loaderOf(type)));
          } catch (ClassNotFoundException e) {
            return null; // not a DJL object: no copy
          }
        }
      };

  /**
   * Gives the settings every copy is built with (the registry among them, which binds through this
   * set: hence a second step after construction). Called once, before the instrumentation that
   * makes copies is installed.
   */
  public void start(CopySettings copySettings) {
    this.settings = copySettings;
  }

  /**
   * Sends the agent's log to the host's SLF4J once the first copy of DJL is met (through that
   * copy's class loader, which sees the SLF4J DJL logs with).
   */
  public void logThroughHostSlf4j() {
    hostLogging.set(true);
  }

  /**
   * The copy of DJL that {@code hostObject} (a layer, a block, a module) belongs to, or null (also
   * before {@link #start}, so that no class value caches a copy that could not be made yet).
   */
  public DjlCopy of(Object hostObject) {
    return settings == null ? null : byHostClass.get(hostObject.getClass());
  }

  /** The live copies, oldest first. */
  public List<DjlCopy> live() {
    List<DjlCopy> live = new ArrayList<>();
    for (WeakReference<DjlCopy> ref : copies) {
      DjlCopy copy = ref.get();
      if (copy == null) {
        copies.remove(ref);
      } else {
        live.add(copy);
      }
    }
    return live;
  }

  /** Whether this JVM has met one copy of DJL so far (factors may then drop their Java copies). */
  public boolean sole() {
    return created.get() <= 1;
  }

  /**
   * The parameter arrays of the host's models in the copy of DJL the agent's own classes use, as
   * that copy's {@code NDArray}s (the only ones the agent's arithmetic can take); none before that
   * copy is met or after it is gone.
   */
  public List<Object> ownParameterArrays() {
    DjlCopy own = agentsOwn.get();
    return own == null ? List.of() : own.parameterArrays();
  }

  /** Each live copy's layers, and how many of them {@code snapshot}'s active edits change. */
  public List<CopyStatus> status(Snapshot snapshot) {
    return live().stream()
        .map(c -> new CopyStatus(c.name(), c.layers(), c.editedLayers(snapshot)))
        .toList();
  }

  /** Whether no live copy is still learning its layers (attached agent). */
  public boolean allLayersKnown() {
    List<DjlCopy> live = live();
    return !live.isEmpty() && live.stream().noneMatch(DjlCopy::discovering);
  }

  /**
   * Binds each edit on every live copy: bound where some copy binds it (each parameter to the first
   * copy's weight, with the layers of every copy holding that same weight), else refused where some
   * copy refuses it, else pending.
   */
  @Override
  public Map<String, Binding> bind(List<Edit> edits, boolean refuse) {
    List<DjlCopy> live = live();
    Map<String, Binding> result = new LinkedHashMap<>();
    if (live.isEmpty()) {
      edits.forEach(e -> result.put(e.id(), Binding.pending("the host has not loaded DJL yet")));
      return result;
    }
    List<Map<String, Binding>> perCopy = new ArrayList<>();
    live.forEach(copy -> perCopy.add(copy.bind(edits, refuse)));
    for (Edit e : edits) {
      List<Binding> bindings = perCopy.stream().map(m -> m.get(e.id())).toList();
      result.put(e.id(), Binding.merged(bindings));
    }
    return result;
  }

  private DjlCopy create(ClassLoader djl) {
    ClassLoader agent = DjlCopies.class.getClassLoader();
    if (agent instanceof AgentClassLoader own) {
      own.useDjlOf(djl);
    }
    if (hostLogging.compareAndSet(true, false)) {
      HostSlf4j.Result slf4j = HostSlf4j.in(djl);
      slf4j
          .sink()
          .ifPresentOrElse(
              sink -> {
                AgentLog.info("logging through the host's SLF4J, logger " + HostSlf4j.LOGGER);
                AgentLog.sendTo(sink);
              },
              () -> AgentLog.warn("log=slf4j, but " + slf4j.problem() + ": logging on stderr"));
    }
    try {
      DjlCopy copy =
          (DjlCopy)
              Class.forName(COPY, true, new DjlCopyLoader(djl, agent))
                  .getConstructor(CopySettings.class, DjlCopies.class)
                  .newInstance(settings, this);
      copies.add(new WeakReference<>(copy));
      if (resolvesDjlTo(agent, djl)) {
        agentsOwn = new WeakReference<>(copy);
      }
      int count = created.incrementAndGet();
      AgentLog.info(
          "DJL met in " + copy.name() + (count > 1 ? " (copy " + count + " in this JVM)" : ""));
      if (count > 1) {
        settings.registry().recompose();
      }
      return copy;
    } catch (ReflectiveOperationException | LinkageError e) {
      AgentLog.error("cannot work with the DJL of " + djl + "; its layers stay unedited", e);
      return null;
    }
  }

  /** Whether the agent's own classes resolve DJL to the copy {@code djl} defined. */
  private static boolean resolvesDjlTo(ClassLoader agent, ClassLoader djl) {
    try {
      return Class.forName(DJL_BLOCK, false, agent).getClassLoader() == djl;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static ClassLoader loaderOf(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    return loader != null ? loader : ClassLoader.getSystemClassLoader();
  }
}
