package org.mend4j.agent.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.EditBinder;
import org.mend4j.runtime.edit.Edit;
import org.mend4j.runtime.edit.ParamDelta;

/** Binds a parameter iff its fingerprint is in {@code host}; records every call. */
public final class FakeBinder implements EditBinder {

  /** The host's weight fingerprints (mutable: a layer appears). */
  public final Set<String> host;

  /** Ids of the edits of each call. */
  public final List<List<String>> calls = new ArrayList<>();

  /** A binder for a host with these weights. */
  public FakeBinder(Set<String> host) {
    this.host = host;
  }

  @Override
  public Map<String, Binding> bind(List<Edit> edits, boolean refuse) {
    calls.add(edits.stream().map(Edit::id).toList());
    Map<String, Binding> out = new LinkedHashMap<>();
    for (Edit e : edits) {
      List<Binding.Target> targets = new ArrayList<>();
      String missing = null;
      for (ParamDelta p : e.params()) {
        if (host.contains(p.fingerprint())) {
          targets.add(new Binding.Target(p.name(), p.fingerprint(), List.of("x"), false));
        } else {
          missing = p.name();
        }
      }
      out.put(
          e.id(),
          missing == null
              ? Binding.bound(targets)
              : refuse
                  ? Binding.refused(
                      "parameter '"
                          + missing
                          + "' matches no layer; the edit was computed for another model")
                  : Binding.pending("no " + missing));
    }
    return out;
  }
}
