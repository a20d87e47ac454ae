package org.mend4j.runtime.inspect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * DJL blocks with weights and how they compute: classes that build and run DJL's {@code Linear}
 * (which the agent instruments as it is), subclasses of {@code Linear}, and blocks of their own
 * that declare a weight {@code Parameter} and multiply by it, each with the agent's {@code layers}
 * entry it needs. A {@code Linear} whose output is split (GPT-2's fused q, k, v) is named as fused.
 */
final class BlockFinder {

  static final String LINEAR = "ai/djl/nn/core/Linear";
  private static final String BLOCK = "ai/djl/nn/Block";
  private static final String PARAMETER_BUILDER = "ai/djl/nn/Parameter$Builder";
  private static final String PARAMETER_TYPE = "ai/djl/nn/Parameter$Type";
  private static final String NDARRAY = "ai/djl/ndarray/NDArray";

  private final Hierarchy hierarchy;

  BlockFinder(Hierarchy hierarchy) {
    this.hierarchy = hierarchy;
  }

  List<Finding> find(ClassFacts c) {
    if (!hierarchy.isA(c.name(), BLOCK)) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>();
    ClassFacts.Method forward = forwardInternal(c);
    if (hierarchy.isA(c.name(), LINEAR)) {
      out.add(linearSubclass(c, forward));
    } else {
      List<String> weights = weightParameters(c);
      if (!weights.isEmpty()) {
        out.add(weightBlock(c, forward, weights));
      }
    }
    Set<String> linears = linearChildren(c);
    if (!linears.isEmpty() || usesLinear(c)) {
      String names = linears.isEmpty() ? "" : " (child blocks " + String.join(", ", linears) + ")";
      String how =
          "builds and runs ai.djl.nn.core.Linear" + names + ": x W^T + b, instrumented by default";
      out.add(finding(Finding.Kind.PROJECTION, c, null, how + fused(c), null));
    }
    return out;
  }

  /**
   * A Linear of the host's: covered as Linear unless it computes in a forwardInternal of its own.
   */
  private Finding linearSubclass(ClassFacts c, ClassFacts.Method forward) {
    if (forward != null) {
      return custom(c, forward, List.of("weight"));
    }
    return finding(
        Finding.Kind.PROJECTION,
        c,
        null,
        "subclass of ai.djl.nn.core.Linear: x W^T + b as Linear computes it, instrumented with"
            + " Linear",
        null);
  }

  /** A block declaring weights: a projection if it is a leaf that multiplies, else an owner. */
  private Finding weightBlock(ClassFacts c, ClassFacts.Method forward, List<String> weights) {
    boolean composite = c.methods().stream().anyMatch(this::runsChildBlocks);
    if (!composite && forward != null && multiplies(c)) {
      return custom(c, forward, weights);
    }
    String why =
        composite ? " and runs child blocks" : " but multiplies by none in forwardInternal";
    return finding(
        Finding.Kind.WEIGHT_OWNER,
        c,
        forward,
        "owns weight parameters "
            + String.join(", ", weights)
            + why
            + ": not one projection (x in, x W out), so not a layer for layers=",
        null);
  }

  /** A block of its own: which weight it multiplies by and in which layout. */
  private Finding custom(ClassFacts c, ClassFacts.Method forward, List<String> weights) {
    String param = weights.contains("weight") ? "weight" : weights.get(0);
    boolean djlLayout =
        c.methods().stream()
            .anyMatch(m -> m.calls(LINEAR, "linear") || m.calls(NDARRAY, "transpose"));
    String layout = djlLayout ? "out_in" : "in_out";
    String how =
        djlLayout
            ? "its own projection, x W^T with W stored [out, in] as Linear stores it"
            : "its own projection, x W with W stored [in, out] as HF's Conv1D stores it";
    return finding(
        Finding.Kind.PROJECTION,
        c,
        forward,
        how + " (weight parameter '" + param + "')",
        c.binaryName() + ":" + param + ":" + layout);
  }

  private static Finding finding(
      Finding.Kind kind, ClassFacts c, ClassFacts.Method m, String how, String spec) {
    String where =
        m == null || m.line() < 0
            ? c.source()
            : c.source() + " (" + m.name() + ", line " + m.line() + ")";
    return new Finding(kind, c.binaryName(), where, how, spec);
  }

  private static ClassFacts.Method forwardInternal(ClassFacts c) {
    return c.methods().stream()
        .filter(
            m -> m.name().equals("forwardInternal") && m.descriptor().contains("ParameterStore"))
        .findFirst()
        .orElse(null);
  }

  /** Whether a class builds, holds or runs a {@code Linear} block (not only its static helper). */
  private static boolean usesLinear(ClassFacts c) {
    return c.methods().stream()
        .flatMap(m -> m.code().stream())
        .anyMatch(
            i ->
                i.isCall(LINEAR, "builder")
                    || i.isCall(LINEAR, "forward")
                    || (i.kind() == ClassFacts.Insn.Kind.FIELD
                        && ("L" + LINEAR + ";").equals(i.descriptor())));
  }

  /** Names given to {@code addChildBlock} for a {@code Linear} just built. */
  private static Set<String> linearChildren(ClassFacts c) {
    Set<String> names = new LinkedHashSet<>();
    for (ClassFacts.Method m : c.methods()) {
      String lastString = null;
      String pending = null;
      for (ClassFacts.Insn i : m.code()) {
        if (i.constant() instanceof String s) {
          lastString = s;
        } else if (i.isCall(LINEAR, "builder")) {
          pending = lastString;
        } else if (i.kind() == ClassFacts.Insn.Kind.CALL
            && i.name().equals("addChildBlock")
            && pending != null) {
          names.add(pending);
          pending = null;
        }
      }
    }
    return names;
  }

  /** ", fused: its output split into N" when a method splits an array along an axis. */
  private static String fused(ClassFacts c) {
    for (ClassFacts.Method m : c.methods()) {
      List<ClassFacts.Insn> code = m.code();
      for (int k = 0; k < code.size(); k++) {
        ClassFacts.Insn i = code.get(k);
        if (i.isCall(NDARRAY, "split") && i.descriptor().startsWith("(JI)")) {
          List<Number> numbers = new ArrayList<>();
          for (int j = k - 1; j >= 0 && numbers.size() < 2; j--) {
            if (code.get(j).constant() instanceof Number n) {
              numbers.add(n);
            } else if (code.get(j).kind() != ClassFacts.Insn.Kind.CONSTANT) {
              break;
            }
          }
          String sections =
              numbers.size() == 2 ? Long.toString(numbers.get(1).longValue()) : "parts";
          return "; fused: "
              + m.name()
              + " splits a Linear's output into "
              + sections
              + " (one weight for several projections, as HF's c_attn holds q, k, v):"
              + " edits bind to the whole weight";
        }
      }
    }
    return "";
  }

  /** Parameters a block declares with {@code Parameter.builder().setName(N)} as weights. */
  private static List<String> weightParameters(ClassFacts c) {
    List<String> weights = new ArrayList<>();
    for (ClassFacts.Method m : c.methods()) {
      String lastString = null;
      String name = null;
      boolean weight = false;
      for (ClassFacts.Insn i : m.code()) {
        if (i.constant() instanceof String s) {
          lastString = s;
        } else if (i.isCall(PARAMETER_BUILDER, "setName")) {
          name = lastString;
        } else if (i.kind() == ClassFacts.Insn.Kind.FIELD && PARAMETER_TYPE.equals(i.owner())) {
          weight = i.name().equals("WEIGHT");
        } else if (i.kind() == ClassFacts.Insn.Kind.CALL && i.name().equals("addParameter")) {
          if (name != null && (weight || name.toLowerCase().contains("weight"))) {
            weights.add(name);
          }
          name = null;
          weight = false;
        }
      }
    }
    return weights;
  }

  private boolean runsChildBlocks(ClassFacts.Method m) {
    return m.code().stream()
        .anyMatch(
            i ->
                i.kind() == ClassFacts.Insn.Kind.CALL
                    && i.name().equals("forward")
                    && hierarchy.isA(i.owner(), BLOCK));
  }

  private static boolean multiplies(ClassFacts c) {
    return c.methods().stream()
        .anyMatch(
            m ->
                m.calls(LINEAR, "linear")
                    || m.calls(NDARRAY, "matMul")
                    || m.calls("ai/djl/ndarray/NDArrays", "matMul"));
  }
}
