/**
 * Edited checkpoints: the composed edits baked into a complete HF GPT-2 checkpoint, for runtimes no
 * Java agent reaches (Python, C++, another JVM without mend4j), with a manifest of the edits it
 * holds.
 */
package org.mend4j.runtime.merge;
