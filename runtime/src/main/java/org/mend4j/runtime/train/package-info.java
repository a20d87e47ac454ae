/**
 * Gradient-based training shared by GPT-2 pretraining, the MEND editor's meta-training and the
 * fine-tuning baseline: Adam(W) over named DJL leaf arrays, global-norm clipping, and the
 * language-model loss.
 */
package org.mend4j.runtime.train;
