package org.mend4j.agent.jmx;

/**
 * {@code org.mend4j:type=Edits}: the admin API's reads and the enable/disable switch over JMX.
 * Documents are JSON strings (plain JDK types, so any JMX client can read them without the agent's
 * classes).
 */
public interface EditsMBean {

  /** The status document, as {@code GET /mend4j/v1/status}. */
  String getStatus();

  /** The edits, as {@code GET /mend4j/v1/edits}. */
  String getEdits();

  /** The variants, as {@code GET /mend4j/v1/variants}. */
  String getVariants();

  /** The metrics, as {@code GET /metrics}. */
  String getMetrics();

  /** Number of registered edits. */
  int getEditCount();

  /** Number of edits in the default variant that apply to the host. */
  int getActiveEditCount();

  /** Edit deltas added to host layer outputs so far. */
  long getDeltasApplied();

  /** Errors suppressed inside the forward hook so far. */
  long getSuppressedErrors();

  /**
   * Enables an edit (persisted like the admin API's).
   *
   * @throws IllegalArgumentException if there is no such edit
   */
  void enable(String id);

  /**
   * Disables an edit (persisted like the admin API's).
   *
   * @throws IllegalArgumentException if there is no such edit
   */
  void disable(String id);
}
