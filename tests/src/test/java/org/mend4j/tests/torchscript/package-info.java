/**
 * The agent on a host that serves GPT-2 traced to TorchScript (demo-app given {@code
 * models/world-gpt2-torchscript}): edits by CLI and admin API, variants, bit-identical outputs
 * without edits.
 */
package org.mend4j.tests.torchscript;
