package org.mend4j.runtime.inspect;

/**
 * One thing the inspection found in a service.
 *
 * @param kind what it is
 * @param className the class, binary name ({@code a.b.C$D})
 * @param where the method and line, or the class file, it was seen in
 * @param how what the class does there, in words
 * @param layerSpec the agent's {@code layers} entry it needs ({@code class:weightParam:layout}), or
 *     null when the agent needs none for it
 */
public record Finding(Kind kind, String className, String where, String how, String layerSpec) {

  /** Kinds of findings, in report order. */
  public enum Kind {
    /** A projection the agent instruments (a DJL {@code Linear}, or a block it can be told of). */
    PROJECTION,
    /** A block that owns weights but is not one projection (embeddings, a composite). */
    WEIGHT_OWNER,
    /** Where a TorchScript model is loaded (its layers run inside libtorch). */
    TORCHSCRIPT,
    /** An HTTP entry point where the agent opens a request scope (variant header, split). */
    ENTRY_POINT,
    /** An HTTP entry point the agent does not instrument (requests get the default variant). */
    OTHER_ENTRY_POINT
  }
}
