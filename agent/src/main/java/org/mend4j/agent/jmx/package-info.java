/**
 * The JMX view of the control plane: the MBean {@code org.mend4j:type=Edits}, registered on the
 * platform MBean server once the host has started.
 */
package org.mend4j.agent.jmx;
