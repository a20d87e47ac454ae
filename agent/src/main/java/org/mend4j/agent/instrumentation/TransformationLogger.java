package org.mend4j.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;
import org.mend4j.agent.internal.AgentLog;

/**
 * Logs each instrumented class once, and every transformation error (which leaves it as it was).
 */
final class TransformationLogger extends AgentBuilder.Listener.Adapter {

  @Override
  public void onTransformation(
      TypeDescription type,
      ClassLoader classLoader,
      JavaModule module,
      boolean loaded,
      DynamicType dynamicType) {
    AgentLog.info("instrumented " + type.getName() + (loaded ? " (retransformed)" : ""));
  }

  @Override
  public void onError(
      String typeName,
      ClassLoader classLoader,
      JavaModule module,
      boolean loaded,
      Throwable throwable) {
    AgentLog.error("could not instrument " + typeName + "; it runs unchanged", throwable);
  }
}
