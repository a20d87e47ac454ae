/**
 * GPT-2's byte-level BPE tokenizer, read from a checkpoint directory ({@code vocab.json} + {@code
 * merges.txt}, or {@code tokenizer.json}), with GPT-2's own {@code r50k_base} as the fallback.
 *
 * <p>The one home of GPT-2's byte alphabet and pre-tokenizer ({@link
 * org.mend4j.runtime.gpt2.tokenizer.ByteLevel}), of BPE encoding and decoding ({@link
 * org.mend4j.runtime.gpt2.tokenizer.ByteLevelBpe}) and of writing the tokenizer files ({@link
 * org.mend4j.runtime.gpt2.tokenizer.TokenizerFiles}); the knowledge world's BPE trainer builds on
 * them.
 */
package org.mend4j.runtime.gpt2.tokenizer;
