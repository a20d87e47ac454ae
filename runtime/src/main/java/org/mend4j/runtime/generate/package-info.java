/**
 * Text generation on {@link org.mend4j.runtime.gpt2.FunctionalGpt2}: greedy, beam search and seeded
 * top-k/top-p sampling, all incremental through the KV cache, with HF {@code generate} semantics.
 */
package org.mend4j.runtime.generate;
