/**
 * The edit registry: every edit the agent holds, with its enabled flag and its binding to the
 * host's layers, as an immutable {@link org.mend4j.agent.registry.Snapshot} swapped atomically.
 * Plain Java, no DJL: the forward hook and the binder live in their own packages.
 */
package org.mend4j.agent.registry;
