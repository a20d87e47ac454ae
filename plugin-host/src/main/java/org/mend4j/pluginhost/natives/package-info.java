/**
 * The native-library shim the host puts on every plugin's class path (it ships in {@code
 * plugin-lib/mend4j-plugin-host-natives.jar}, never in the host's own jar): see {@link
 * org.mend4j.pluginhost.natives.JniLibraries}.
 */
package org.mend4j.pluginhost.natives;
