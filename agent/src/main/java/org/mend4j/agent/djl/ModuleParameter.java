package org.mend4j.agent.djl;

import ai.djl.ndarray.NDArray;

/**
 * One weight matrix of a TorchScript module ({@code PtSymbolBlock}), where no Java forward call per
 * layer exists to hook: the agent binds edits to it by fingerprint like a layer, and changes it in
 * place. Stored as HF's {@code Conv1D} stores it ({@code [in, out]}, the layout of a traced HF
 * GPT-2), so its fingerprint is the checkpoint's.
 *
 * @param name the module's parameter name ({@code transformer.h.3.mlp.c_fc.weight})
 * @param weight the parameter's array, sharing the module's memory
 */
public record ModuleParameter(String name, NDArray weight) {

  /** How bindings name it: {@code torchscript:} and the parameter's name. */
  public String label() {
    return "torchscript:" + name;
  }
}
