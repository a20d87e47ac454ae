package org.mend4j.runtime.eval;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.gpt2.Gpt2Params;

/** A way of making edits: MEND, or the fine-tuning baseline. */
public interface EditMethod {

  /** The name reported in results ({@code mend} or {@code ft}). */
  String name();

  /** How the method combines edits, for reports (e.g. the composition and its settings). */
  default Map<String, Object> settings() {
    return Map.of();
  }

  /**
   * Starts a run of edits on {@code base}; arrays it creates live in {@code manager}, which the
   * caller closes.
   */
  Run start(Gpt2Params base, NDManager manager);

  /** Edits made one batch after another, each on the model the earlier ones left. */
  interface Run {

    /** Makes every case of {@code batch} true at once, on top of the edits made so far. */
    void add(List<EditCase> batch);

    /** The model with every edit made so far. */
    Gpt2Params params();
  }
}
