/**
 * Running a service as a customer runs it: a service jar in a child JVM on loopback ports,
 * optionally with the mend4j agent ({@link org.mend4j.runtime.service.JavaAgent}), and clients of
 * its HTTP API and of the agent's admin API. {@code ./mend4j demo} and the end-to-end tests share
 * it; the agent leaves it out.
 */
package org.mend4j.runtime.service;
