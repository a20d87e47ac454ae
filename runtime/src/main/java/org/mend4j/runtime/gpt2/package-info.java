/**
 * GPT-2 in the HuggingFace checkpoint format on DJL, written functionally: the weights are inputs
 * to the forward pass, so MEND can run the model on base weights plus factored edit deltas without
 * ever changing the base weights. Reads like nanoGPT: config, checkpoint, attention, MLP, block,
 * model, in the order data flows.
 */
package org.mend4j.runtime.gpt2;
