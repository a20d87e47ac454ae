package org.mend4j.agent.entry;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of the agent's own classes (everything under {@code org.mend4j} but this
 * package), one per JVM. It defines them from the agent jar itself, child-first, so they never mix
 * with the copies the system class loader could load from the same jar, and it resolves DJL types
 * through the class loader of the first DJL the host loads ({@link #useDjlOf}), which may be a
 * Spring Boot launcher's or a plugin's rather than the system class loader. Until then, and for
 * every other type, it delegates to the system class loader.
 *
 * <p>Classes that work on one copy of DJL's objects are defined again beside each copy (see the
 * agent's {@code djl} package); the classes loaded here use DJL only for the agent's own arithmetic
 * (composing edits, computing an edit in-process), on the first copy.
 */
public final class AgentClassLoader extends URLClassLoader {

  static {
    registerAsParallelCapable();
  }

  private static final String OWN = "org.mend4j.";
  private static final String ENTRY = AgentClassLoader.class.getPackageName() + ".";
  private static final String DJL = "ai.djl.";
  private static final String DJL_BLOCK = "ai/djl/nn/Block.class";

  private volatile ClassLoader djl;

  /**
   * Creates the loader over the agent's classes.
   *
   * @param agentClasses the agent jar (or, in the agent's own tests, its class folders)
   */
  public AgentClassLoader(URL[] agentClasses) {
    super("mend4j-agent", agentClasses, ClassLoader.getSystemClassLoader());
  }

  /**
   * Resolves DJL types through {@code loader} from now on, unless an earlier call chose another.
   *
   * @param loader the class loader that defined the host's DJL
   * @return whether {@code loader} is the one in use
   */
  public synchronized boolean useDjlOf(ClassLoader loader) {
    if (djl == null && !systemSeesDjl()) {
      djl = loader;
    }
    return djl == loader || (djl == null && loader == getParent());
  }

  /** Whether the agent's own classes can resolve DJL types now. */
  public boolean seesDjl() {
    return djl != null || systemSeesDjl();
  }

  private boolean systemSeesDjl() {
    return getParent().getResource(DJL_BLOCK) != null;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith(OWN) && !name.startsWith(ENTRY)) {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
    ClassLoader d = djl;
    if (d != null && name.startsWith(DJL)) {
      return Class.forName(name, false, d);
    }
    return super.loadClass(name, resolve);
  }
}
