/** The GPT-2 byte-level BPE tokenizer of a checkpoint directory. */
package org.mend4j.demoapp.text;
