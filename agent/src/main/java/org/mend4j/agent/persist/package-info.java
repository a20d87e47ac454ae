/**
 * Persistence of the control plane's state behind one seam, {@link
 * org.mend4j.agent.persist.EditStore}: the {@code edits} directory ({@link
 * org.mend4j.agent.persist.DirectoryEditStore}: one edit file per edit and a {@code state.json}
 * with the enabled flags and the variants, each written atomically, so a restart restores exactly
 * what was there), or a PostgreSQL database that a fleet of replicas shares ({@link
 * org.mend4j.agent.persist.PostgresEditStore}: changes committed in transactions against the latest
 * state, followed by every replica through LISTEN/NOTIFY and polling).
 */
package org.mend4j.agent.persist;
