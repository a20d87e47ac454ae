package org.mend4j.agent.control;

import java.util.Locale;
import org.mend4j.runtime.edit.EditRequest;
import org.mend4j.runtime.gpt2.Gpt2Model;

/**
 * Whether a request's texts fit the model before any work is done on them: readable by its
 * tokenizer within its vocabulary, and short enough for its context. A text that does not fit is
 * the request's fault ({@link ControlException.InvalidRequest}, naming the field), never an error
 * of the agent's.
 */
final class RequestFit {

  private RequestFit() {}

  /**
   * Refuses an edit request whose prompt or paraphrase, followed by its target, does not fit the
   * model's context: neither could be edited or checked.
   *
   * @param what the request as the refusal names it
   */
  static void check(Gpt2Model m, EditRequest r, String what) {
    int context = m.config().nPositions();
    int target = tokens(m, r.targetNew(), what + ": 'target_new'").length;
    fits(what, "prompt", tokens(m, r.prompt(), what).length, target, context);
    if (r.rephrasePrompt() != null) {
      fits(what, "rephrase_prompt", tokens(m, r.rephrasePrompt(), what).length, target, context);
    }
  }

  /** The ids of a prompt to complete: 1 token at least, with room for one more. */
  static long[] prompt(Gpt2Model m, String prompt) {
    long[] ids = tokens(m, prompt, "'prompt'");
    if (ids.length == 0 || ids.length >= m.config().nPositions()) {
      throw new ControlException.InvalidRequest(
          String.format(
              Locale.ROOT,
              "'prompt' is %d tokens; the model takes 1 to %d",
              ids.length,
              m.config().nPositions() - 1));
    }
    return ids;
  }

  private static long[] tokens(Gpt2Model m, String text, String what) {
    try {
      return m.encode(text);
    } catch (IllegalArgumentException e) {
      throw new ControlException.InvalidRequest(what + ": " + e.getMessage());
    }
  }

  private static void fits(String what, String field, int tokens, int target, int context) {
    if (tokens + target > context) {
      throw new ControlException.InvalidRequest(
          String.format(
              Locale.ROOT,
              "%s: '%s' is %d tokens and 'target_new' %d, more than the model's context of %d",
              what,
              field,
              tokens,
              target,
              context));
    }
  }
}
