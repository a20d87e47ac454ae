package org.mend4j.agent.internal;

import java.util.Locale;

/**
 * Writes the Prometheus text exposition format 0.0.4: a {@code # HELP} and {@code # TYPE} line per
 * family, then its samples. One writer for every part of the agent that exports metrics, so they
 * all format alike.
 */
public final class PrometheusText {

  /** The format's content type. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder();

  /** Starts a metric family. */
  public PrometheusText family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** A sample of an integer value; {@code series} is the name with its labels. */
  public PrometheusText sample(String series, long value) {
    out.append(series).append(' ').append(value).append('\n');
    return this;
  }

  /** A sample of a real value, six decimals. */
  public PrometheusText sample(String series, double value) {
    out.append(series).append(' ').append(String.format(Locale.ROOT, "%.6f", value)).append('\n');
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
