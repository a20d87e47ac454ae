/**
 * End-to-end tests of the agent: the real shaded jar attached to forked hosts (demo-app, and a
 * logits-printing host built from demo-app's model classes), checked against the runtime's
 * functional GPT-2.
 */
package org.mend4j.tests.agent;
