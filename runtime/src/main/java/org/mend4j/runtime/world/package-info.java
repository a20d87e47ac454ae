/**
 * The knowledge world: a deterministic fictional world of entities and facts that a small GPT-2
 * memorises, its pretraining corpus, its byte-level BPE tokenizer and the EasyEdit-format edit
 * datasets built from it.
 *
 * <p>{@link org.mend4j.runtime.world.World#generate(long)} is the entry point; {@link
 * org.mend4j.runtime.world.BpeTrainer} learns the merges of a GPT-2-compatible tokenizer ({@link
 * org.mend4j.runtime.gpt2.tokenizer.ByteLevelBpe}) on the world's corpus; {@link
 * org.mend4j.runtime.world.WorldData} writes everything under {@code data/world/}.
 */
package org.mend4j.runtime.world;
