/**
 * End-to-end tests of {@code ./mend4j} as a user runs it: what it prints besides its results (its
 * log, through SLF4J to the simple backend the launcher configures).
 */
package org.mend4j.tests.cli;
