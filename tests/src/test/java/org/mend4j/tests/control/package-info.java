/**
 * End-to-end tests of the control plane (issue 6): demo-app on the world model in forked JVMs with
 * the real shaded agent, driven over real HTTP on loopback (and JMX); persistence across restarts;
 * runtime attach; toggling under load.
 */
package org.mend4j.tests.control;
