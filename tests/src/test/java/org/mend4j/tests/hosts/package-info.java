/**
 * The other hosts, without the agent: the Spring Boot host (DJL in Spring Boot's launcher class
 * loader) and the plugin host (two copies of demo-app and DJL in class loaders of their own, one
 * JVM) answer demo-app's HTTP API exactly as demo-app does on the same model, in forked JVMs.
 */
package org.mend4j.tests.hosts;
