package org.mend4j.tests.support;

import org.mend4j.runtime.service.ServiceLaunch;

/** The recipes of the services the tests run, with this build's jars. */
public final class Launches {

  private Launches() {}

  /** demo-app. */
  public static ServiceLaunch demoApp() {
    return ServiceLaunch.demoApp(TestPaths.demoAppJar());
  }

  /** The Spring Boot host. */
  public static ServiceLaunch springApp() {
    return ServiceLaunch.springApp(TestPaths.springAppJar());
  }

  /** The plugin host with {@code copies} copies of demo-app. */
  public static ServiceLaunch pluginHost(int copies) {
    return ServiceLaunch.pluginHost(TestPaths.pluginHostJar(), copies);
  }
}
