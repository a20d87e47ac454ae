package org.mend4j.runtime.train;

import ai.djl.ndarray.NDArray;

/** Negative log-likelihood of target tokens under logits, the loss of every trainer here. */
public final class TokenLoss {

  private TokenLoss() {}

  /** Log-probabilities {@code [B, T]} of {@code targets} (int64 {@code [B, T]}). */
  public static NDArray targetLogProbs(NDArray logits, NDArray targets) {
    return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
  }

  /** Mean NLL over all positions. */
  public static NDArray mean(NDArray logits, NDArray targets) {
    return targetLogProbs(logits, targets).mean().neg();
  }

  /** Mean NLL over the positions where {@code mask} (float {@code [B, T]}) is 1. */
  public static NDArray masked(NDArray logits, NDArray targets, NDArray mask) {
    return targetLogProbs(logits, targets).mul(mask).sum().neg().div(mask.sum());
  }

  /**
   * {@code KL(pre || post)} over the vocabulary, averaged over positions: how far {@code
   * postLogits} moved from the distribution {@code preLogProbs} (log-softmax, held constant).
   */
  public static NDArray klFrom(NDArray preLogProbs, NDArray postLogits) {
    NDArray post = postLogits.logSoftmax(-1);
    return preLogProbs.exp().mul(preLogProbs.sub(post)).sum(new int[] {-1}).mean();
  }
}
