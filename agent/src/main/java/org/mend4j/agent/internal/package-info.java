/** Small pieces the agent's packages share: its stderr logger and a weak identity cache. */
package org.mend4j.agent.internal;
