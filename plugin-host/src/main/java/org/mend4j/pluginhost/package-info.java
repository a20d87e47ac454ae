/**
 * A plain Java plugin host: each plugin is a set of jars run in a {@code URLClassLoader} of its own
 * whose parent is the platform class loader, so nothing of the host (and no DJL) is visible to it
 * and two copies of the same plugin share no class. The plugin here is demo-app with DJL, started
 * twice or more in one JVM, each copy on its own port.
 */
package org.mend4j.pluginhost;
