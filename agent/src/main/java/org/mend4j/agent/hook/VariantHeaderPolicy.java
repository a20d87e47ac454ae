package org.mend4j.agent.hook;

import java.util.Set;

/**
 * Whether a request may choose its variant with the {@code X-Mend4j-Variant} header, and which
 * names it may choose. Any client of the host can send that header: a variant with no edits lets it
 * bypass every enabled edit, and a variant holding a disabled edit exposes that edit. So the header
 * is ignored unless the operator turns it on ({@code variants.header=true}), for every variant or
 * only for those named in {@code variants.header.allowed}; an ignored header leaves the request to
 * the traffic split, as if it had none.
 *
 * @param enabled whether the header is honoured at all
 * @param allowed the variant names it may choose ({@code default} included if listed); empty for
 *     every variant
 */
public record VariantHeaderPolicy(boolean enabled, Set<String> allowed) {

  /** The header is ignored (the default). */
  public static final VariantHeaderPolicy OFF = new VariantHeaderPolicy(false, Set.of());

  /** The header may choose any variant. */
  public static final VariantHeaderPolicy ANY = new VariantHeaderPolicy(true, Set.of());

  /** Copies the set. */
  public VariantHeaderPolicy {
    allowed = Set.copyOf(allowed);
  }

  /** Whether a request may choose {@code variant} by header. */
  boolean admits(String variant) {
    return enabled && (allowed.isEmpty() || allowed.contains(variant));
  }
}
