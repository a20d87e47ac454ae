/**
 * The agent's start and configuration: the installer wires the agent's parts and starts its daemon
 * threads; the configuration is parsed once into {@link org.mend4j.agent.bootstrap.AgentSettings}
 * from the keys declared in {@link org.mend4j.agent.bootstrap.SettingKeys}, and every part takes
 * its typed group of it.
 */
package org.mend4j.agent.bootstrap;
