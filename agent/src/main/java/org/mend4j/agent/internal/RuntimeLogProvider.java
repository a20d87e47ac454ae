package org.mend4j.agent.internal;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The binding of the SLF4J the agent bundles (relocated with it, so it is never the host's): what
 * the bundled runtime logs at info and above joins the agent's own log ({@link AgentLog}, on
 * standard error or through the host's SLF4J), so that, say, a model directory read with GPT-2's
 * own vocabulary is said there as it is on the command line. Other bundled libraries (Jetty) stay
 * silent, as before: the agent speaks for itself in its own words.
 */
public final class RuntimeLogProvider implements SLF4JServiceProvider {

  /** The runtime's package; in the agent's jar relocated with it, as the runtime's loggers are. */
  private static final String RUNTIME = "org.mend4j.runtime.";

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return ToAgentLog::new;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** A logger whose info, warnings and errors are the agent's, for the runtime's loggers only. */
  private static final class ToAgentLog extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final boolean runtime;

    ToAgentLog(String name) {
      this.name = name;
      this.runtime = name.startsWith(RUNTIME);
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return runtime;
    }

    @Override
    public boolean isWarnEnabled() {
      return runtime;
    }

    @Override
    public boolean isErrorEnabled() {
      return runtime;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      if (level == Level.ERROR && throwable != null) {
        AgentLog.error(message, throwable);
      } else if (level == Level.INFO) {
        AgentLog.info(message);
      } else {
        AgentLog.warn(message + (throwable == null ? "" : " (" + throwable + ")"));
      }
    }
  }
}
