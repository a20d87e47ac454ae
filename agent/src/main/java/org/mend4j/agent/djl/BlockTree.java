package org.mend4j.agent.djl;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mend4j.agent.internal.WeakIdentityMap;

/**
 * The host's block tree as it was built, recorded from {@code AbstractBlock.addChildBlock(name,
 * child)}: it gives every layer a path, the names the host gave its blocks joined by dots from the
 * root down, e.g. {@code h3.mlp.c_fc} (the root itself has no name). Siblings that share a name get
 * {@code #1}, {@code #2}, ... in the order they were added (e.g. {@code Linear#2} in a {@code
 * SequentialBlock}). Paths are what a name mapping points at; they are also shown in logs and
 * status. Roots are where the host's whole model is found (every parameter, not only the layers'
 * weights), for computing edits on it. Nothing here keeps a block alive.
 */
public final class BlockTree {

  private static final int MAX_DEPTH = 64;

  private record Link(WeakReference<Object> parent, String name, int ordinal) {}

  private final WeakIdentityMap<Object, Link> links = new WeakIdentityMap<>();
  private final WeakIdentityMap<Object, Map<String, Integer>> childNames = new WeakIdentityMap<>();

  /** Records that {@code parent} added {@code child} under {@code name}. */
  public void record(Object parent, String name, Object child) {
    if (parent == null || child == null || name == null) {
      return;
    }
    Map<String, Integer> names = childNames.computeIfAbsent(parent, p -> new ConcurrentHashMap<>());
    int ordinal = names.merge(name, 1, Integer::sum);
    links.computeIfAbsent(child, c -> new Link(new WeakReference<>(parent), name, ordinal));
  }

  /** The root of the tree {@code block} was added to; the block itself if it has no parent. */
  public Object root(Object block) {
    List<Object> chain = chain(block);
    return chain.get(chain.size() - 1);
  }

  /** The block's path from its root; empty for a root or an unrecorded block. */
  public String path(Object block) {
    List<Object> chain = chain(block);
    Deque<String> segments = new ArrayDeque<>();
    for (int i = 0; i + 1 < chain.size(); i++) {
      Link link = links.get(chain.get(i));
      Map<String, Integer> siblings = childNames.get(chain.get(i + 1));
      boolean shared = siblings != null && siblings.getOrDefault(link.name(), 1) > 1;
      segments.addFirst(shared ? link.name() + "#" + link.ordinal() : link.name());
    }
    return String.join(".", segments);
  }

  /** The block, its parent, the parent's parent and so on up to the root (at most 64 deep). */
  private List<Object> chain(Object block) {
    List<Object> chain = new ArrayList<>();
    Object current = block;
    for (int depth = 0; depth < MAX_DEPTH && current != null; depth++) {
      chain.add(current);
      Link link = links.get(current);
      current = link == null ? null : link.parent().get();
    }
    return chain;
  }
}
