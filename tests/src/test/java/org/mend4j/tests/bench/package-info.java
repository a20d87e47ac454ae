/**
 * Benchmarks run by hand, never in CI: each has a {@code main}. See {@link
 * org.mend4j.tests.bench.DemoAppThroughputBench} for the command.
 */
package org.mend4j.tests.bench;
