/**
 * End-to-end tests of the edit console (issue 15): demo-app on the world model with the real shaded
 * agent in a forked JVM, its console page driven in Debian's headless chromium through Selenium,
 * checked against what the service itself answers and what the admin API says.
 */
package org.mend4j.tests.console;
