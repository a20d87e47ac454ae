/**
 * The admin HTTP API on loopback ({@code admin.port}): bearer-token authentication, capped bodies,
 * routing of {@code /mend4j/v1/...} and {@code /metrics} to the control plane, JSON answers with an
 * {@code {"error": ...}} document for every refusal, and the edit console's static page ({@code
 * /mend4j/console}), which calls that API with the token it asks for. Runs on an embedded Jetty
 * relocated inside the agent jar, on daemon threads of its own, never on the host's.
 */
package org.mend4j.agent.admin;
