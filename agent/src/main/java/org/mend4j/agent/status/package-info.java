/**
 * The agent's status (edits, bindings, counters) as JSON, written to a file for operators and
 * tests.
 */
package org.mend4j.agent.status;
