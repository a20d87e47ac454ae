/**
 * An ordinary GPT-2 text-generation HTTP service written with plain DJL.
 *
 * <p>It stands for a customer's service that was written without any knowledge of model editing: it
 * loads a Hugging Face GPT-2 checkpoint with its own code, builds the network from DJL blocks and
 * serves {@code POST /generate}. Nothing in it prepares for being changed from the outside.
 */
package org.mend4j.demoapp;
