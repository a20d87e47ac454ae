package org.mend4j.agent.hook;

/**
 * What status reports of one copy of DJL in the JVM.
 *
 * @param classLoader names the class loader that loaded it
 * @param layers the layers of it the agent has recorded
 * @param editedLayers of those, the ones an active edit changes
 */
public record CopyStatus(String classLoader, int layers, int editedLayers) {}
