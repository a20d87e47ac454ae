package org.mend4j.agent.control;

import java.util.List;

/**
 * One prompt answered under every variant (the console's "try it"), the default variant first, then
 * the variants in name order.
 *
 * @param prompt the prompt
 * @param maxNewTokens most tokens each answer generated
 * @param snapshot the version of the snapshot the variants were read from
 * @param answers one per variant
 */
public record TryAnswers(String prompt, int maxNewTokens, long snapshot, List<Answer> answers) {

  /** Copies the list. */
  public TryAnswers {
    answers = List.copyOf(answers);
  }

  /**
   * One variant's answer.
   *
   * @param variant the variant's name ({@code default} for every enabled edit)
   * @param edits the ids of the edits composed, in the order the hook composes them
   * @param trafficPercent the variant's share of the traffic, or null for the default variant
   * @param completion the greedy completion
   */
  public record Answer(
      String variant, List<String> edits, Double trafficPercent, String completion) {
    /** Copies the list. */
    public Answer {
      edits = List.copyOf(edits);
    }
  }
}
