package org.mend4j.pluginhost;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * One running copy of the plugin in a class loader of its own.
 *
 * <p>The loader's parent is the platform class loader: the plugin sees the JDK and its own jars,
 * nothing of the host or of another copy. The plugin is started the way a host knows its plugins,
 * by its entry point ({@code org.mend4j.demoapp.DemoApp.start(AppOptions.parse(args))}), called
 * reflectively with the plugin's loader as the thread's context class loader: DJL finds its
 * engines, its native libraries and the host's native shim through that loader, and the threads the
 * plugin starts inherit it.
 */
final class PluginCopy implements AutoCloseable {

  private static final String ENTRY = "org.mend4j.demoapp.DemoApp";
  private static final String OPTIONS = "org.mend4j.demoapp.AppOptions";

  private final URLClassLoader loader;
  private final AutoCloseable app;

  private PluginCopy(URLClassLoader loader, AutoCloseable app) {
    this.loader = loader;
    this.app = app;
  }

  /**
   * Creates the copy's loader and starts the plugin in it.
   *
   * @param name the loader's name, unique in this JVM
   * @param jars the plugin's jars
   * @param args the plugin's command line
   * @return the running copy
   * @throws IOException if the plugin cannot be loaded or refuses to start
   */
  static PluginCopy start(String name, URL[] jars, String... args) throws IOException {
    URLClassLoader loader = new URLClassLoader(name, jars, ClassLoader.getPlatformClassLoader());
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Class<?> options = loader.loadClass(OPTIONS);
      Object parsed = options.getMethod("parse", String[].class).invoke(null, (Object) args);
      Object app = loader.loadClass(ENTRY).getMethod("start", options).invoke(null, parsed);
      return new PluginCopy(loader, (AutoCloseable) app);
    } catch (InvocationTargetException e) {
      loader.close();
      throw new IOException(name + ": the plugin did not start: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      loader.close();
      throw new IOException(name + ": no plugin entry point " + ENTRY + ": " + e, e);
    } finally {
      thread.setContextClassLoader(context);
    }
  }

  /** The name of the loader that defined the plugin's DJL (this copy's own, if all is well). */
  String djlLoader() throws ClassNotFoundException {
    return loader.loadClass("ai.djl.engine.Engine").getClassLoader().getName();
  }

  /** The copy's loader. */
  ClassLoader loader() {
    return loader;
  }

  /** Stops the plugin and closes its loader. */
  @Override
  public void close() throws Exception {
    try {
      app.close();
    } finally {
      loader.close();
    }
  }
}
