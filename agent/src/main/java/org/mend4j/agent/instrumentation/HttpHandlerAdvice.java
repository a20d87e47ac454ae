package org.mend4j.agent.instrumentation;

import net.bytebuddy.asm.Advice;
import org.mend4j.agent.hook.RequestHooks;

/**
 * The advice inlined into the host's {@code
 * com.sun.net.httpserver.HttpHandler.handle(HttpExchange)} implementations: a request scope from
 * entry to exit (also when the handler throws), so all layer calls of the request apply one
 * variant. Exceptions never reach the host ({@code suppress}).
 */
public final class HttpHandlerAdvice {

  private HttpHandlerAdvice() {}

  /** Opens the request's scope; returns it for {@link #exit}, or null. */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.Argument(0) Object exchange) {
    return RequestHooks.onRequestStart(exchange);
  }

  /** Closes the scope {@link #enter} opened. */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object scope) {
    RequestHooks.onRequestEnd(scope);
  }
}
