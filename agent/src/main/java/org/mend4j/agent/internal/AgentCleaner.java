package org.mend4j.agent.internal;

import java.lang.ref.Cleaner;

/**
 * The agent's one {@link Cleaner}: frees the engine memory of factors and merged weights once
 * nothing refers to them. Its daemon thread has no context class loader, so it keeps no host class
 * loader alive (a copy of DJL that its application dropped can be collected).
 */
public final class AgentCleaner {

  /** The cleaner. */
  public static final Cleaner CLEANER =
      Cleaner.create(
          r -> {
            Thread t = new Thread(r, "mend4j-cleaner");
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
          });

  private AgentCleaner() {}
}
