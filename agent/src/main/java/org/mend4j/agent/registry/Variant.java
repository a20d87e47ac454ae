package org.mend4j.agent.registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A named set of edits that a request can be served with instead of the default variant (every
 * enabled edit): chosen by the request header {@code X-Mend4j-Variant: NAME}, or for {@code
 * trafficPercent} percent of the requests that name no variant (see {@link VariantSplit}).
 *
 * <p>A variant applies exactly the edits it lists (those of them that are bound), whether or not
 * they are enabled: {@code enabled} means "in the default variant". So an edit can be tried on a
 * share of the traffic without being enabled for everyone (a canary), and a variant with no edits
 * serves the unedited model.
 *
 * @param name the variant's name: letters, digits, {@code . _ -}, at most 64 characters, not
 *     starting with a dot (no {@code .} or {@code ..} in a URL path); not {@value #DEFAULT} in any
 *     case
 * @param trafficPercent the share of requests without a variant header it gets, 0 to 100, in steps
 *     of 0.01 (the split's resolution)
 * @param editIds the ids of its edits, in the order given
 */
public record Variant(String name, List<String> editIds, double trafficPercent) {

  /** The name of the default variant (every enabled edit), which cannot be defined. */
  public static final String DEFAULT = "default";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

  /**
   * Validates the variant.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public Variant {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "variant name '"
              + name
              + "' must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'");
    }
    if (name.equalsIgnoreCase(DEFAULT)) {
      throw new IllegalArgumentException(
          "'" + name + "' names the variant of every enabled edit, which cannot be defined");
    }
    if (!(trafficPercent >= 0 && trafficPercent <= 100)) {
      throw new IllegalArgumentException(
          "variant '" + name + "': traffic_percent must be in 0..100, found " + trafficPercent);
    }
    double buckets = trafficPercent * 100;
    if (Math.abs(buckets - Math.rint(buckets)) > 1e-6) {
      throw new IllegalArgumentException(
          "variant '"
              + name
              + "': traffic_percent "
              + trafficPercent
              + " has more than two decimals (the split's resolution is 0.01 %)");
    }
    editIds = List.copyOf(editIds);
    if (editIds.stream().distinct().count() != editIds.size()) {
      throw new IllegalArgumentException("variant '" + name + "' lists an edit twice: " + editIds);
    }
  }

  /**
   * Checks that this variant can be defined over the edits {@code editIds} next to {@code variants}
   * (replacing the one of its name, if any): every edit it lists exists, and the variants' traffic
   * adds up to at most 100 percent. The one check of a variant against a state, for the control
   * plane's changes and a store's restore alike.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public void checkAmong(Collection<String> editIds, Map<String, Variant> variants) {
    for (String id : this.editIds) {
      if (!editIds.contains(id)) {
        throw new IllegalArgumentException(
            "variant '" + name + "' lists edit '" + id + "', which does not exist");
      }
    }
    long buckets = Math.round(trafficPercent * 100);
    for (Variant v : variants.values()) {
      if (!v.name().equals(name)) {
        buckets += Math.round(v.trafficPercent() * 100);
      }
    }
    if (buckets > VariantSplit.BUCKETS) {
      throw new IllegalArgumentException(
          "variant '"
              + name
              + "': the variants' traffic_percent would add up to "
              + buckets / 100.0
              + ", more than 100");
    }
  }

  /** This variant without {@code editId}. */
  Variant without(String editId) {
    return new Variant(
        name, editIds.stream().filter(id -> !id.equals(editId)).toList(), trafficPercent);
  }

  /**
   * This variant with only those of its edits that are among {@code known}: for a state taken from
   * a store, where some of its edits may be gone.
   */
  public Variant restrictedTo(Collection<String> known) {
    return new Variant(name, editIds.stream().filter(known::contains).toList(), trafficPercent);
  }
}
