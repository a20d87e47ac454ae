/**
 * The status file: the status document ({@link org.mend4j.agent.control.ControlJson#text}),
 * rewritten atomically at an interval for operators and tests.
 */
package org.mend4j.agent.status;
