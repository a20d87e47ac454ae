/**
 * GPT-2's byte-level BPE tokenizer, read from a checkpoint directory ({@code vocab.json} + {@code
 * merges.txt}, or {@code tokenizer.json}), with GPT-2's own {@code r50k_base} as the fallback.
 */
package org.mend4j.runtime.gpt2.tokenizer;
