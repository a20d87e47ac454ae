package org.mend4j.agent.control;

import java.util.List;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.EditRequest;

/**
 * What computes edits and answers prompts for the control plane, so its operations do not depend on
 * where the model comes from. {@link InProcessEditor} is the served checkpoint ({@code model=DIR},
 * on the host's own weights when they hold all of it) and a MEND editor ({@code editor=DIR}),
 * injected by the agent's installer; one composing edits another way, or computing them outside the
 * host, plugs in here. Failures are {@link ControlException}s.
 */
public interface EditComputer {

  /** Whether there is a model to check edits against, so {@link #checkFits} means something. */
  boolean hasModel();

  /**
   * One edit making all {@code requests} true on the served model with {@code base} composed.
   *
   * @throws ControlException.Conflict if nothing can compute edits or {@code base} does not fit
   * @throws ControlException.InvalidRequest for a request the model cannot take
   * @throws ControlException.NotEditable if no edit comes of the requests
   */
  Edit compute(List<EditRequest> requests, List<Edit> base);

  /**
   * The greedy completion of {@code prompt} with each list of edits composed, one per list.
   *
   * @throws ControlException.Conflict if there is no model or an edit does not fit it
   * @throws ControlException.InvalidRequest if the prompt does not fit the model
   */
  List<String> complete(String prompt, int maxNewTokens, List<List<Edit>> editSets);

  /**
   * Checks that the edits were computed for the model's weights.
   *
   * @throws ControlException.ForeignModel naming the first edit and parameter that differ
   */
  void checkFits(List<Edit> edits);
}
