/**
 * MEND (Mitchell et al., ICLR 2022) as the reference code defines it: factor capture of each inner
 * layer's input and output gradient, Welford normalisation, the low-rank identity-initialised MLP
 * that transforms the factors, per-layer learned step sizes, first-order meta-training, and the
 * computation of an edit from a request.
 */
package org.mend4j.runtime.mend;
