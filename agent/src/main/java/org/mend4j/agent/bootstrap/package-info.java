/**
 * The agent's entry points and configuration: {@code premain}/{@code agentmain} do nothing but
 * parse the configuration and hand over to the installer, catching everything so the host always
 * starts.
 */
package org.mend4j.agent.bootstrap;
