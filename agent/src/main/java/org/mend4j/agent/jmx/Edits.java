package org.mend4j.agent.jmx;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.mend4j.agent.control.Control;
import org.mend4j.agent.control.ControlException;
import org.mend4j.agent.control.ControlJson;
import org.mend4j.agent.control.EditView;

/** The {@link EditsMBean} over the {@link Control} operations. */
public final class Edits implements EditsMBean {

  /** The MBean's name. */
  public static final String NAME = "org.mend4j:type=Edits";

  private final Control control;

  Edits(Control control) {
    this.control = control;
  }

  /**
   * Registers the MBean on the platform MBean server (once the host has started).
   *
   * @throws JMException if it cannot be registered (e.g. already there)
   */
  public static void register(Control control) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    server.registerMBean(new Edits(control), new ObjectName(NAME));
  }

  @Override
  public String getStatus() {
    return ControlJson.status(control.status()).toString();
  }

  @Override
  public String getEdits() {
    return ControlJson.edits(control.edits()).toString();
  }

  @Override
  public String getVariants() {
    return ControlJson.variants(control.variants()).toString();
  }

  @Override
  public String getMetrics() {
    return control.metrics();
  }

  @Override
  public int getEditCount() {
    return control.edits().size();
  }

  @Override
  public int getActiveEditCount() {
    return (int) control.edits().stream().filter(EditView::active).count();
  }

  @Override
  public long getDeltasApplied() {
    return control.status().counters().deltasApplied();
  }

  @Override
  public long getSuppressedErrors() {
    return control.status().counters().suppressedErrors();
  }

  @Override
  public void enable(String id) {
    toggle(id, true);
  }

  @Override
  public void disable(String id) {
    toggle(id, false);
  }

  private void toggle(String id, boolean on) {
    try {
      control.setEnabled(id, on);
    } catch (ControlException e) {
      throw forJmx(e);
    }
  }

  /**
   * The JDK exception a remote JMX client gets for a refusal (it cannot load the agent's classes):
   * {@link IllegalArgumentException} when the request is at fault, {@link IllegalStateException}
   * when the agent's state is (the store unreachable, a failure), with the refusal's message.
   */
  static RuntimeException forJmx(ControlException e) {
    if (e instanceof ControlException.Unavailable || e instanceof ControlException.Failed) {
      return new IllegalStateException(e.getMessage());
    }
    return new IllegalArgumentException(e.getMessage());
  }
}
