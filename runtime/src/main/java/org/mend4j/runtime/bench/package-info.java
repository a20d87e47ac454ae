/**
 * Benchmarks behind the figures the README quotes. Each measures its subject and its baseline in
 * the same run and reports ratios, because the machines are shared and absolute times are noisy.
 */
package org.mend4j.runtime.bench;
