/**
 * The control plane's operations, independent of how they are called (HTTP admin API, JMX): make an
 * edit in-process, import, enable, disable and delete edits, define variants; each change is
 * validated, persisted, then applied to the registry, so a failure changes nothing. A refusal is a
 * {@link org.mend4j.agent.control.ControlException}, one of a closed set of domain reasons (not
 * found, conflict, invalid request, foreign model, not editable, unavailable, failed) with a
 * message that says what was expected and what was found; each protocol maps the reasons to its own
 * answers.
 */
package org.mend4j.agent.control;
