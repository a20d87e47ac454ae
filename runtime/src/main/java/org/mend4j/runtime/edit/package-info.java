/**
 * Edits as data: the factored weight changes MEND computes, their self-describing file format, the
 * base-weight fingerprints that bind an edit to the model it was computed for, and the view of a
 * model with a set of edits applied.
 */
package org.mend4j.runtime.edit;
