/**
 * The guided demo behind {@code ./mend4j demo}: demo-app started with the agent, driven through the
 * agent's admin API and the service's own HTTP API, each step checked.
 */
package org.mend4j.runtime.demo;
