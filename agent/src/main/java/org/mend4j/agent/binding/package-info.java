/**
 * Binding edits to the host: the host's layers (recorded as it builds and runs them, weakly), their
 * block paths, their weights' fingerprints, and the explicit name mapping that can override them.
 */
package org.mend4j.agent.binding;
