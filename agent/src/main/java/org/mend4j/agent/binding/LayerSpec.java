package org.mend4j.agent.binding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A host layer class the agent instruments, and how to read its weight: the parameter's name and
 * its layout. DJL's {@code Linear} is always included: weight {@code weight}, stored {@code [out,
 * in]} ({@code y = x W^T + b}). Further classes come from the {@code layers} setting, {@code
 * ;}-separated entries {@code class[:weightParam[:out_in|in_out]]}, e.g. {@code
 * com.acme.Conv1D:weight:in_out} for a block that keeps HF's {@code [in, out]} layout. A further
 * class must be a DJL block whose {@code forwardInternal} takes the input as the first array and
 * returns the projection as the first array.
 *
 * @param className the class's binary name, matched exactly
 * @param weightParam the weight's name in the block's parameter list
 * @param layout how the weight is stored
 */
public record LayerSpec(String className, String weightParam, Layout layout) {

  /** How a layer stores its weight. */
  public enum Layout {
    /** {@code [out, in]}, as DJL's {@code Linear}: the HF weight is its transpose. */
    OUT_IN,
    /** {@code [in, out]}, as HF's {@code Conv1D}: the HF weight itself. */
    IN_OUT
  }

  /** DJL's dense layer. */
  public static final LayerSpec LINEAR =
      new LayerSpec("ai.djl.nn.core.Linear", "weight", Layout.OUT_IN);

  /**
   * Parses one {@code class[:weightParam[:layout]]} entry.
   *
   * @throws IllegalArgumentException naming the entry if it is malformed
   */
  public static LayerSpec parse(String entry) {
    String[] parts = entry.trim().split(":");
    if (parts.length > 3 || parts[0].isBlank() || !parts[0].matches("[\\w$.]+")) {
      throw new IllegalArgumentException(
          "layer class entry '" + entry + "' is not class[:weightParam[:out_in|in_out]]");
    }
    String param = parts.length > 1 && !parts[1].isBlank() ? parts[1].trim() : "weight";
    Layout layout = Layout.OUT_IN;
    if (parts.length == 3) {
      try {
        layout = Layout.valueOf(parts[2].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "layer class entry '" + entry + "': layout must be out_in or in_out", e);
      }
    }
    return new LayerSpec(parts[0].trim(), param, layout);
  }

  /**
   * {@link #LINEAR} and the configured entries, by class name (a configured entry for {@code
   * Linear} replaces the default).
   *
   * @param entries the {@code layers} setting's entries
   * @param problems receives a message per malformed entry, which is skipped
   */
  public static Map<String, LayerSpec> withConfigured(List<String> entries, List<String> problems) {
    Map<String, LayerSpec> specs = new LinkedHashMap<>();
    specs.put(LINEAR.className(), LINEAR);
    for (String entry : entries) {
      try {
        LayerSpec spec = parse(entry);
        specs.put(spec.className(), spec);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return specs;
  }

  /** The class names of {@code specs}, for the type matcher. */
  public static List<String> classNames(Map<String, LayerSpec> specs) {
    return new ArrayList<>(specs.keySet());
  }
}
