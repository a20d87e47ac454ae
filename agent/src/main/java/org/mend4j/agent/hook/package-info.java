/**
 * The forward hook's side that knows no DJL type: the static entry points the advice calls (routing
 * each call to the DJL copy it came from), request scopes and variant routing, and the counters.
 * What applies edits to DJL arrays lives in {@code djl}.
 */
package org.mend4j.agent.hook;
