/**
 * How the user tells the agent to bind edits: which layer classes to read and where their weight is
 * ({@link org.mend4j.agent.binding.LayerSpec}), and the explicit name mapping that overrides
 * fingerprints. The binding itself works on the host's DJL objects, so it lives in {@code djl}.
 */
package org.mend4j.agent.binding;
