package org.mend4j.runtime.eval;

import ai.djl.ndarray.NDManager;
import org.mend4j.runtime.data.EditCase;
import org.mend4j.runtime.gpt2.Gpt2Params;

/** A way of making an edit: MEND, or the fine-tuning baseline. */
public interface EditMethod {

  /** The name reported in results ({@code mend} or {@code ft}). */
  String name();

  /**
   * Makes {@code edit} true on top of {@code current} and returns the edited parameters; arrays it
   * creates live in {@code manager}.
   */
  Gpt2Params apply(EditCase edit, Gpt2Params current, NDManager manager);
}
