package org.mend4j.runtime.mend;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.mend4j.runtime.gpt2.HostCopy;
import org.mend4j.runtime.gpt2.LinearHook;

/**
 * Records, for each inner weight, the layer input {@code x} and adds a zero leaf to the layer
 * output, so that after {@code backward} the leaf's gradient is {@code delta = dL/d(output)}. DJL
 * only exposes gradients of leaves; the zero leaf changes no value.
 */
final class FactorCapture implements LinearHook {

  private final Set<String> names;
  private final Map<String, NDArray> inputs = new LinkedHashMap<>();
  private final Map<String, NDArray> probes = new LinkedHashMap<>();

  FactorCapture(Set<String> names) {
    this.names = names;
  }

  @Override
  public NDArray onLinear(String name, NDArray input, NDArray output) {
    if (!names.contains(name)) {
      return output;
    }
    NDArray probe = output.getManager().zeros(output.getShape());
    probe.setRequiresGradient(true);
    inputs.put(name, input);
    probes.put(name, probe);
    return output.add(probe);
  }

  /** The factors of {@code name}; call after {@code backward}. */
  GradientFactors factors(String name) {
    NDArray x = inputs.get(name);
    NDArray probe = probes.get(name);
    if (x == null) {
      throw new IllegalStateException(
          "inner weight '" + name + "' was not used by the forward pass");
    }
    long in = x.getShape().tail();
    long out = probe.getShape().tail();
    try (NDArray gradient = probe.getGradient()) {
      float[] delta = HostCopy.floats(gradient);
      return new GradientFactors(
          HostCopy.floats(x), delta, (int) (delta.length / out), (int) in, (int) out);
    }
  }
}
