/**
 * A host whose projections are a block of its own in HF's {@code Conv1D} layout ({@code y = x W},
 * {@code W [in, out]}), which the agent instruments only when told to with {@code layers=}: what
 * {@code mend4j inspect} must find.
 */
package org.mend4j.tests.inspect.host;
