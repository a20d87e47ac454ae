package org.mend4j.agent.instrumentation;

import com.sun.net.httpserver.HttpExchange;
import net.bytebuddy.asm.Advice;
import org.mend4j.agent.entry.HostCalls;

/**
 * The advice inlined into the host's {@code
 * com.sun.net.httpserver.HttpHandler.handle(HttpExchange)} implementations: a request scope from
 * entry to exit (also when the handler throws), so all layer calls of the request apply one
 * variant. Exceptions never reach the host ({@code suppress}).
 */
public final class HttpHandlerAdvice {

  private HttpHandlerAdvice() {}

  /** Opens the request's scope with its variant and request id headers; returns it, or null. */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.Argument(0) HttpExchange exchange) {
    return HostCalls.onRequestStart(
        exchange.getRequestHeaders().getFirst(HostCalls.VARIANT_HEADER),
        exchange.getRequestHeaders().getFirst(HostCalls.REQUEST_ID_HEADER));
  }

  /** Closes the scope {@link #enter} opened. */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object scope) {
    HostCalls.onRequestEnd(scope);
  }
}
