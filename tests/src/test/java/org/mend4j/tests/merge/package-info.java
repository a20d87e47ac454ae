/**
 * End-to-end tests of {@code mend4j merge}: demo-app serving a merged checkpoint without the agent
 * against demo-app with the agent and the same edit files, each in a forked JVM.
 */
package org.mend4j.tests.merge;
