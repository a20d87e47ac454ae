/**
 * Reading and writing the safetensors format (HF checkpoints, MEND editor checkpoints and edit
 * files): a little-endian header length, a JSON header, then raw tensor bytes. Kept independent of
 * GPT-2 so every artifact mend4j stores shares one validated reader.
 */
package org.mend4j.runtime.safetensors;
