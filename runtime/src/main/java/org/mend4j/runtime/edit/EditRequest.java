package org.mend4j.runtime.edit;

/**
 * What an edit was asked to make true: after {@code prompt}, the model says {@code targetNew}.
 *
 * @param prompt the edit prompt, e.g. "The capital of Zarnovia is"
 * @param targetNew the new continuation, without its leading space
 * @param rephrasePrompt an optional paraphrase of the prompt (null if none)
 */
public record EditRequest(String prompt, String targetNew, String rephrasePrompt) {

  /** Validates the request; the message names the empty field. */
  public EditRequest {
    if (prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("edit request: 'prompt' is empty");
    }
    if (targetNew == null || targetNew.isBlank()) {
      throw new IllegalArgumentException("edit request: 'target_new' is empty");
    }
    if (rephrasePrompt != null && rephrasePrompt.isBlank()) {
      rephrasePrompt = null;
    }
  }
}
