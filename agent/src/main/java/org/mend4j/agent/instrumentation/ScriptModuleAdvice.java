package org.mend4j.agent.instrumentation;

import net.bytebuddy.asm.Advice;
import org.mend4j.agent.entry.HostCalls;

/**
 * The advice inlined into DJL's PyTorch engine for TorchScript modules, whose layers run inside
 * libtorch: the agent changes their parameters in place instead of hooking layer calls. Static and
 * stateless; each piece calls one method of {@link HostCalls}. Exceptions never reach the host.
 */
public final class ScriptModuleAdvice {

  private ScriptModuleAdvice() {}

  /** Around {@code PtSymbolBlock.forwardInternal}: the pass runs only with whole weights. */
  public static final class Forward {
    private Forward() {}

    /** Runs before the method: waits until the weights hold the pass's edits. */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object module, @Advice.Argument(2) boolean training) {
      return HostCalls.onModuleEnter(module, training);
    }

    /** Runs after the method, also when it threw. */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object admitted) {
      HostCalls.onModuleExit(admitted);
    }
  }

  /**
   * On entry of {@code JniUtils.loadModule(PtNDManager, Path, boolean, String[], String[], boolean
   * trainParam)}: loads parameters as tensors the agent can change.
   */
  public static final class Load {
    private Load() {}

    /** Runs before the method. */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 5, readOnly = false) boolean trainParam) {
      trainParam = HostCalls.onModuleLoad(trainParam);
    }
  }
}
