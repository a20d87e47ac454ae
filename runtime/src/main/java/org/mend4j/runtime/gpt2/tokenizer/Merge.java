package org.mend4j.runtime.gpt2.tokenizer;

/**
 * One BPE merge rule: two adjacent tokens (byte-level strings) that become their concatenation.
 * Written {@code "left right"} in {@code merges.txt} and {@code tokenizer.json}.
 */
public record Merge(String left, String right) {

  /** The token this merge produces. */
  public String result() {
    return left + right;
  }

  @Override
  public String toString() {
    return left + " " + right;
  }
}
