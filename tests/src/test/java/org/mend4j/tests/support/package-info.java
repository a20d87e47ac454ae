/**
 * Reusable pieces of the end-to-end tests: where the repository's artifacts are, test model
 * directories, and demo-app running in a forked JVM.
 */
package org.mend4j.tests.support;
