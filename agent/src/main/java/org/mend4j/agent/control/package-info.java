/**
 * The control plane's operations, independent of how they are called (HTTP admin API, JMX): make an
 * edit in-process, import, enable, disable and delete edits, define variants; each change is
 * validated, persisted, then applied to the registry, so a failure changes nothing. Bad input is a
 * {@link org.mend4j.agent.control.ControlException} with an HTTP status and a message that says
 * what was expected and what was found.
 */
package org.mend4j.agent.control;
