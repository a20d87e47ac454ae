/**
 * The admin HTTP API on loopback ({@code admin.port}): bearer-token authentication, capped bodies,
 * routing of {@code /mend4j/v1/...} and {@code /metrics} to the control plane, JSON answers with an
 * {@code {"error": ...}} document for every refusal. Runs on the JDK's {@code
 * com.sun.net.httpserver} with its own two daemon threads, never on the host's.
 */
package org.mend4j.agent.admin;
