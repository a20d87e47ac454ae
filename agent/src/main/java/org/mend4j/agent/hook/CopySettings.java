package org.mend4j.agent.hook;

import java.util.Map;
import org.mend4j.agent.binding.LayerSpec;
import org.mend4j.agent.binding.NameMapping;
import org.mend4j.agent.registry.EditRegistry;

/**
 * What every {@link DjlCopy} is built with: the JVM's one registry, counters and router, and the
 * configuration of binding and of the fast paths.
 *
 * @param registry the edits
 * @param counters the JVM's hook counters (every copy counts into them)
 * @param router chooses each request's variant
 * @param specs how to read each instrumented layer class's weight, by class name
 * @param mapping explicit name mapping (may be {@link NameMapping#NONE})
 * @param mergeMaxFloats largest weight (elements) the merged fast path takes; 0 turns it off
 * @param torchScript whether TorchScript modules are edited (false: left alone)
 */
public record CopySettings(
    EditRegistry registry,
    HookCounters counters,
    VariantRouter router,
    Map<String, LayerSpec> specs,
    NameMapping mapping,
    long mergeMaxFloats,
    boolean torchScript) {

  /** Copies the map. */
  public CopySettings {
    specs = Map.copyOf(specs);
  }
}
