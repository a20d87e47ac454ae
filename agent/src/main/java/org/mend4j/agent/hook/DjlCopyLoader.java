package org.mend4j.agent.hook;

import java.io.IOException;
import java.io.InputStream;
import java.security.ProtectionDomain;
import java.util.Set;

/**
 * Defines the agent's {@code djl} package anew beside one copy of DJL: those classes resolve DJL
 * types through the class loader that loaded that copy, and every other agent class through the
 * agent's own loader, so all copies share one registry while each works on its own DJL objects.
 * Types outside the agent (DJL, the JDK) come from the copy's loader, the parent.
 *
 * <p>The runtime's {@code FactorProducts}, the arithmetic of a factored change that the runtime's
 * {@code FactoredDelta} and the {@code djl} package's {@code DeviceFactors} share, is defined anew
 * here too ({@link #COPIED_CLASSES}): every other runtime class exists once, in the agent's loader,
 * linked to the first copy of DJL the host loads, so a second copy's {@code NDArray} could not be
 * passed to it. That class uses only DJL's API, so a copy of it links to this copy's DJL alone.
 * (The names here are the runtime's as compiled; shading rewrites them, as it does the classes, to
 * the relocated package.)
 *
 * <p>Holds its parent strongly and nothing holds it but the classes it defined: the agent keeps a
 * copy only as long as the host keeps its DJL (see {@link DjlCopies}).
 */
final class DjlCopyLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  /** The package whose classes are defined per copy. */
  static final String COPIED = "org.mend4j.agent.djl.";

  /** The classes outside {@link #COPIED} defined per copy: the arithmetic it shares. */
  static final Set<String> COPIED_CLASSES = Set.of("org.mend4j.runtime.gpt2.FactorProducts");

  private static final String AGENT = "org.mend4j.";

  private final ClassLoader agent;
  private final ProtectionDomain domain;

  /**
   * Creates the loader of one copy.
   *
   * @param djl the class loader that defined the copy's DJL
   * @param agent the loader of the agent's own classes (the bytes of the copied ones too)
   */
  DjlCopyLoader(ClassLoader djl, ClassLoader agent) {
    super("mend4j-djl-copy", djl);
    this.agent = agent;
    this.domain = DjlCopyLoader.class.getProtectionDomain();
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(AGENT)) {
      return super.loadClass(name, resolve);
    }
    if (!name.startsWith(COPIED) && !COPIED_CLASSES.contains(name)) {
      return Class.forName(name, false, agent);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        byte[] bytes = bytesOf(name);
        c = defineClass(name, bytes, 0, bytes.length, domain);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private byte[] bytesOf(String name) throws ClassNotFoundException {
    String path = name.replace('.', '/') + ".class";
    try (InputStream in = agent.getResourceAsStream(path)) {
      if (in == null) {
        throw new ClassNotFoundException(name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
  }
}
