package org.mend4j.agent.instrumentation;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.mend4j.agent.entry.HostCalls;

/**
 * The advice inlined into host classes. Each piece is static and stateless and calls one method of
 * {@link HostCalls}; all logic lives there. Exceptions never reach the host ({@code suppress}).
 *
 * <p>Host values are typed {@code Object}: this class is loaded by the agent's class loader, which
 * may not see DJL, and its code runs only where it is inlined, in DJL's classes.
 */
public final class LayerAdvice {

  private LayerAdvice() {}

  /** On exit of a layer's {@code forwardInternal}: hand the output to the forward hook. */
  public static final class Forward {
    private Forward() {}

    /**
     * Runs after the method, also when it threw (then {@code output} is null and the hook returns).
     */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This Object layer,
        @Advice.Argument(1) Object inputs,
        @Advice.Return Object output) {
      HostCalls.onForwardExit(layer, inputs, output);
    }
  }

  /**
   * Around DJL {@code Linear}'s {@code forwardInternal}: on entry, the merged fast path may compute
   * the layer's output itself ({@link LayerHooks#onLinearEnter}); if it does, the method's body is
   * skipped ({@code skipOn}) and that output returned; if it does not (null, or any throwable,
   * suppressed), the body runs and the exit advice hands its output to the forward hook as for any
   * layer. Either way the output list is the one a {@code Linear} returns: one array.
   */
  public static final class LinearForward {
    private LinearForward() {}

    /** Runs before the method; a non-null result skips its body. */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static Object enter(
        @Advice.This Object layer,
        @Advice.Argument(0) Object store,
        @Advice.Argument(1) Object inputs,
        @Advice.Argument(2) boolean training) {
      return HostCalls.onLinearEnter(layer, store, inputs, training);
    }

    /**
     * Runs after the method or its skip: returns the merged output, or hands the layer's own output
     * to the forward hook.
     */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This Object layer,
        @Advice.Argument(1) Object inputs,
        @Advice.Enter Object merged,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object output) {
      if (merged != null) {
        output = merged;
        return;
      }
      HostCalls.onForwardExit(layer, inputs, output);
    }
  }

  /** On exit of a layer's constructor: record the instance. */
  public static final class Constructed {
    private Constructed() {}

    /** Runs when the constructor returns normally. */
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object layer) {
      HostCalls.onLayerConstructed(layer);
    }
  }

  /** On exit of {@code AbstractBlock.addChildBlock(String, Block)}: record the child's name. */
  public static final class ChildAdded {
    private ChildAdded() {}

    /** Runs when the child has been added. */
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.This Object parent,
        @Advice.Argument(0) String name,
        @Advice.Argument(1) Object child) {
      HostCalls.onChildAdded(parent, name, child);
    }
  }
}
