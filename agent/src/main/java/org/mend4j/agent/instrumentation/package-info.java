/**
 * Byte Buddy instrumentation of the host's DJL layer classes: type and method matchers and the
 * advice, which only delegates to {@link org.mend4j.agent.hook.LayerHooks}.
 */
package org.mend4j.agent.instrumentation;
