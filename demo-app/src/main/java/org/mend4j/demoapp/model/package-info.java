/**
 * GPT-2 as a tree of DJL blocks, loaded from a Hugging Face checkpoint directory.
 *
 * <p>The tree reads like the network: {@link org.mend4j.demoapp.model.Gpt2Model} holds the
 * embeddings, the {@link org.mend4j.demoapp.model.TransformerBlock}s and the final LayerNorm; each
 * transformer block holds an attention and an MLP block whose projections are DJL {@link
 * ai.djl.nn.core.Linear} blocks. Blocks pass the key/value cache through their {@code NDList}
 * inputs and outputs, as DJL's own generative models do.
 */
package org.mend4j.demoapp.model;
