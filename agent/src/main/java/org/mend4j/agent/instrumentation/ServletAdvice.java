package org.mend4j.agent.instrumentation;

import net.bytebuddy.asm.Advice;
import org.mend4j.agent.entry.HostCalls;

/**
 * The advice inlined into {@code jakarta.servlet.http.HttpServlet.service(ServletRequest,
 * ServletResponse)}, where every HTTP servlet (Spring MVC's {@code DispatcherServlet} on embedded
 * Tomcat among them) takes its requests: a request scope from entry to exit, as {@link
 * HttpHandlerAdvice} opens for the JDK's server. The request is typed {@code Object} and read by
 * the inlined code, in the servlet container's class loader: the agent's own may not see the
 * servlet API. Exceptions never reach the host ({@code suppress}).
 */
public final class ServletAdvice {

  private ServletAdvice() {}

  /** Opens the request's scope with its variant and request id headers; returns it, or null. */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.Argument(0) Object request) {
    if (!(request instanceof jakarta.servlet.http.HttpServletRequest http)) {
      return null;
    }
    return HostCalls.onRequestStart(
        http.getHeader(HostCalls.VARIANT_HEADER), http.getHeader(HostCalls.REQUEST_ID_HEADER));
  }

  /** Closes the scope {@link #enter} opened. */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object scope) {
    HostCalls.onRequestEnd(scope);
  }
}
