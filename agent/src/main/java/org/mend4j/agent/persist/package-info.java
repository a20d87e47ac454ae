/**
 * Persistence of the control plane's state in the {@code edits} directory: one edit file per edit
 * and a {@code state.json} with the enabled flags and the variants, each written atomically
 * (temporary file, fsync, rename, directory fsync), so a restart restores exactly what was there.
 */
package org.mend4j.agent.persist;
