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
 * @param fault test-only fault injection
 */
public record CopySettings(
    EditRegistry registry,
    HookCounters counters,
    VariantRouter router,
    Map<String, LayerSpec> specs,
    NameMapping mapping,
    long mergeMaxFloats,
    boolean torchScript,
    Fault fault) {

  /**
   * Default largest weight, in elements, that the merged fast path takes: 2^22 (16 MiB per merged
   * copy). It covers every weight of GPT-2 small (768 x 3072 = 2.4 M, 9 MiB a copy) and medium
   * (1024 x 4096, exactly 2^22), so MEND's six inner weights of GPT-2 small cost the host 54 MiB
   * per selection in use (11 % of its weights) and any number of ungated edits then costs a call
   * what no edit does. On those MLP weights the factored path costs two products and an addition a
   * call (and more than the layer itself past about 600 rows); 2^20, the default before, left them
   * factored.
   */
  public static final long DEFAULT_MERGE_MAX_FLOATS = 1L << 22;

  /** Test-only fault injection. */
  public enum Fault {
    /** None. */
    NONE,
    /** Every path that would apply an edit throws (factored and merged). */
    HOOK,
    /** Only the merged fast path throws. */
    MERGE
  }

  /** Copies the map. */
  public CopySettings {
    specs = Map.copyOf(specs);
  }
}
