package org.mend4j.runtime.inspect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a service loads a TorchScript model: a method that loads a DJL model (a {@code Criteria},
 * {@code Model.newInstance} and {@code Model.load}, libtorch's module loader) together with a sign
 * that it is TorchScript (the engine named {@code PyTorch}, a {@code .pt} file name, a {@code
 * PtSymbolBlock}), or any method that handles a {@code PtSymbolBlock}. Such a model's layers run
 * inside libtorch: no Java forward call exists to intercept.
 */
final class TorchScriptFinder {

  private static final String SYMBOL_BLOCK = "ai/djl/pytorch/engine/PtSymbolBlock";

  private final Hierarchy hierarchy;

  TorchScriptFinder(Hierarchy hierarchy) {
    this.hierarchy = hierarchy;
  }

  List<Finding> find(ClassFacts c) {
    List<Finding> out = new ArrayList<>();
    if (hierarchy.isA(c.name(), SYMBOL_BLOCK) && !c.name().equals(SYMBOL_BLOCK)) {
      out.add(
          new Finding(
              Finding.Kind.TORCHSCRIPT,
              c.binaryName(),
              c.source(),
              "a PtSymbolBlock: a TorchScript module run by libtorch",
              null));
    }
    for (ClassFacts.Method m : c.methods()) {
      Set<String> loads = new LinkedHashSet<>();
      Set<String> signs = new LinkedHashSet<>();
      for (ClassFacts.Insn i : m.code()) {
        String owner = i.owner() == null ? "" : i.owner();
        if (i.kind() == ClassFacts.Insn.Kind.CALL && isModelLoad(owner, i.name())) {
          loads.add(owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.') + "." + i.name());
        }
        if (owner.equals(SYMBOL_BLOCK)
            || (i.descriptor() != null && i.descriptor().contains(SYMBOL_BLOCK))) {
          signs.add("PtSymbolBlock");
        }
        if (i.constant() instanceof String s) {
          String lower = s.toLowerCase(Locale.ROOT);
          if (s.equals("PyTorch")) {
            signs.add("engine \"PyTorch\"");
          } else if (lower.endsWith(".pt") || lower.contains("torchscript")) {
            signs.add("\"" + s + "\"");
          }
        }
      }
      if (!signs.isEmpty() && (!loads.isEmpty() || signs.contains("PtSymbolBlock"))) {
        List<String> evidence = new ArrayList<>(loads);
        evidence.addAll(signs);
        out.add(
            new Finding(
                Finding.Kind.TORCHSCRIPT,
                c.binaryName(),
                c.source() + " (" + m.name() + (m.line() > 0 ? ", line " + m.line() : "") + ")",
                "loads a TorchScript model: " + String.join(", ", evidence),
                null));
      }
    }
    return out;
  }

  private static boolean isModelLoad(String owner, String name) {
    return (owner.startsWith("ai/djl/repository/zoo/Criteria")
            && (name.equals("loadModel")
                || name.equals("optModelPath")
                || name.equals("optModelUrls")))
        || (owner.equals("ai/djl/Model") && (name.equals("load") || name.equals("newInstance")))
        || (owner.startsWith("ai/djl/") && owner.endsWith("Model") && name.equals("load"))
        || (owner.equals("ai/djl/pytorch/jni/JniUtils") && name.equals("loadModule"));
  }
}
