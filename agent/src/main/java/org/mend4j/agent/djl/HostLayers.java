package org.mend4j.agent.djl;

import java.util.ArrayList;
import java.util.List;
import org.mend4j.agent.internal.AgentLog;
import org.mend4j.agent.registry.Binding;
import org.mend4j.agent.registry.Snapshot.Shape;
import org.mend4j.runtime.edit.ParamDelta;

/**
 * The host's layers of known shape as one binding sees them, and how one parameter of an edit
 * matches them: by its recorded fingerprint, or at the path a name mapping gives. A miss is told as
 * a problem saying what the parameter expected and what the host has instead (no layer of that
 * shape, layers of that shape holding other weights, no layer at the mapped path, a layer of
 * another shape there), so that a refused or pending binding says why.
 */
final class HostLayers {

  private record HostLayer(Object block, LayerState state) {}

  private final BlockTree tree;
  private final List<HostLayer> layers = new ArrayList<>();

  /** No layers yet; {@code tree} names them in targets and problems. */
  HostLayers(BlockTree tree) {
    this.tree = tree;
  }

  /** Adds a layer whose shape (and fingerprint, if some edit has that shape) is read. */
  void add(Object block, LayerState state) {
    layers.add(new HostLayer(block, state));
  }

  /**
   * The layers holding the weight {@code p} was computed for.
   *
   * @return null, with a problem added, if none does
   */
  Binding.Target byFingerprint(ParamDelta p, List<String> problems) {
    Shape shape = new Shape(p.in(), p.out());
    int sameShape = 0;
    List<String> paths = new ArrayList<>();
    for (HostLayer l : layers) {
      if (shape.equals(l.state().shape())) {
        sameShape++;
        if (p.fingerprint().equals(l.state().fingerprint())) {
          paths.add(label(l));
        }
      }
    }
    if (!paths.isEmpty()) {
      return new Binding.Target(p.name(), p.fingerprint(), paths, false);
    }
    problems.add(
        "parameter '"
            + p.name()
            + "' (shape ["
            + p.in()
            + ", "
            + p.out()
            + "], fingerprint "
            + abbreviate(p.fingerprint())
            + ") matches no layer of this host ("
            + (sameShape == 0
                ? "no layer has that shape"
                : sameShape + " layers have that shape but other weights")
            + ")");
    return null;
  }

  /**
   * The layer at {@code path}, where the name mapping puts {@code p}, with every layer holding the
   * same weight; a warning if that weight is not the one {@code p} was computed for.
   *
   * @return null, with a problem added, if no layer has that path or its shape differs
   */
  Binding.Target byName(ParamDelta p, String path, List<String> problems) {
    Shape shape = new Shape(p.in(), p.out());
    HostLayer at = null;
    List<String> sameShape = new ArrayList<>();
    for (HostLayer l : layers) {
      String lp = label(l);
      if (lp.equals(path)) {
        at = l;
      }
      if (shape.equals(l.state().shape())) {
        sameShape.add(lp);
      }
    }
    if (at == null) {
      problems.add(
          "parameter '"
              + p.name()
              + "' is mapped to host layer '"
              + path
              + "', but no host layer has that path (layers of its shape: "
              + sameShape
              + ")");
      return null;
    }
    if (!shape.equals(at.state().shape())) {
      problems.add(
          "parameter '"
              + p.name()
              + "' ["
              + p.in()
              + ", "
              + p.out()
              + "] is mapped to host layer '"
              + path
              + "' of shape ["
              + at.state().shape().in()
              + ", "
              + at.state().shape().out()
              + "]");
      return null;
    }
    String fingerprint = at.state().fingerprint();
    if (!p.fingerprint().equals(fingerprint)) {
      AgentLog.warn(
          "parameter '"
              + p.name()
              + "' binds to '"
              + path
              + "' by name mapping although the"
              + " layer's weight differs from the one the edit was computed for");
    }
    List<String> paths = new ArrayList<>();
    for (HostLayer l : layers) {
      if (fingerprint.equals(l.state().fingerprint())) {
        paths.add(label(l));
      }
    }
    return new Binding.Target(p.name(), fingerprint, paths, true);
  }

  /** The norm of the weight a target binds to (every layer of the target holds that weight). */
  double weightNorm(Binding.Target target) {
    for (HostLayer l : layers) {
      if (target.hostFingerprint().equals(l.state().fingerprint())) {
        return l.state().weightNorm();
      }
    }
    return Double.NaN;
  }

  /** The layer's block path, or its class and identity if the host never named it. */
  private String label(HostLayer l) {
    if (l.block() instanceof ModuleParameter parameter) {
      return parameter.label();
    }
    String path = tree.path(l.block());
    return path.isEmpty()
        ? l.block().getClass().getSimpleName()
            + "@"
            + Integer.toHexString(System.identityHashCode(l.block()))
        : path;
  }

  private static String abbreviate(String fingerprint) {
    return fingerprint.length() > 23 ? fingerprint.substring(0, 23) + "..." : fingerprint;
  }
}
