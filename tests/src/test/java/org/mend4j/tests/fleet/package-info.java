/**
 * A fleet of demo-app replicas, each with the real agent jar, sharing one edit log in a real
 * PostgreSQL server: convergence, concurrent changes, outages, restarts and mixed checkpoints.
 */
package org.mend4j.tests.fleet;
