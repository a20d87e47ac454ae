/**
 * Measuring what a model knows: teacher-forced scoring of target continuations, the knowledge
 * world's fact and paraphrase accuracy, and EasyEdit's edit metrics.
 */
package org.mend4j.runtime.eval;
