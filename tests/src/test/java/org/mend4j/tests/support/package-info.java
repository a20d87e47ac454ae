/**
 * Reusable pieces of the end-to-end tests: where the repository's artifacts are, test model
 * directories, and the services (demo-app, the Spring Boot host, the plugin host) running in forked
 * JVMs.
 */
package org.mend4j.tests.support;
