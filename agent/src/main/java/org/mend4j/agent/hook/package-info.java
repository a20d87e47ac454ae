/**
 * The forward hook: the static entry points the advice calls, and the fail-open application of
 * active edits to a layer call's output.
 */
package org.mend4j.agent.hook;
