/**
 * Everything in the agent that touches DJL types: learning the host's layers and their weights,
 * binding edits to them, and applying edits to layer calls (factored, merged) and to TorchScript
 * modules.
 *
 * <p>DJL may be loaded more than once in a JVM (an application server, a plugin host), and not by
 * the class loader that loads the agent (a Spring Boot executable jar). So these classes are
 * defined anew next to each copy of DJL the host loads, by a class loader whose parent for {@code
 * ai.djl} is the one that loaded it; they talk to the rest of the agent, which is loaded once, only
 * through types that name no DJL class.
 */
package org.mend4j.agent.djl;
